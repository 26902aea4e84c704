import { once } from 'node:events';
import { readdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { expect, it } from 'vitest';
import { describeWith } from '../../../parallelrunner/test/support/e2e.js';
import { QemuHostForwardError } from '../../src/qemu/errors.js';
import { QemuVm } from '../../src/qemu/qemu-vm.js';
import { ensureAppliance, qemuChildren } from '../support/appliance.js';

const describe = describeWith('qemu');

describe('QemuVm', () => {
  it(
    'retries with fresh ports when QEMU cannot set up a forward, then gives up cleanly',
    { timeout: 60_000 },
    async () => {
      const appliance = await ensureAppliance();
      // A second forward to a port that is taken makes every attempt fail the way a lost race
      // for the SSH port would.
      const busy = createServer().listen(0, '127.0.0.1');
      await once(busy, 'listening');
      const address = busy.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      const vm = new QemuVm({
        name: 'vm-fwd',
        kernel: appliance.kernel,
        initrd: appliance.initrd,
        sshKeyPath: appliance.privateKey,
        memoryMb: 256,
        accel: 'tcg',
        scratchDrives: [{ size: '16M' }],
        extraArgs: ['-nic', `user,model=virtio-net-pci,hostfwd=tcp:127.0.0.1:${port}-:22`],
      });
      const died: string[] = [];
      try {
        const error = await vm
          .open(new AbortController().signal, { died: (reason) => died.push(reason) })
          .then(
            () => undefined,
            (e: unknown) => e,
          );
        expect(error).toBeInstanceOf(QemuHostForwardError);
        expect((error as QemuHostForwardError).attempts).toBe(3);
        expect((error as Error).message).toContain(`127.0.0.1:${port}`);
      } finally {
        busy.close();
        await vm.close();
      }
      expect(died).toEqual([]);
      expect(qemuChildren()).toEqual([]);
      expect(vm.drivePaths).toEqual([]);
      expect((await readdir(tmpdir())).filter((n) => n.startsWith('ff-qemu-vm-fwd-'))).toEqual([]);
    },
  );
});
