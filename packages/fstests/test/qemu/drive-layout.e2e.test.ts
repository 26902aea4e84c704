/**
 * The drive layout on real QEMU: a root image booted together with two scratch drives is
 * /dev/vda, the scratch drives follow in order with their serials, and the local.config the
 * README documents points fstests at the scratch drives, never at the root disk.
 */
import { readFile, rm } from 'node:fs/promises';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { shellQuote } from '@ff/parallelrunner';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWith } from '../../../parallelrunner/test/support/e2e.js';
import type { ApplianceInfo } from '../../src/qemu/appliance.js';
import { guestDisks } from '../../src/qemu/layout.js';
import { QemuSupervisor } from '../../src/qemu/qemu-supervisor.js';
import { ensureAppliance, qemuChildren } from '../support/appliance.js';

const describe = describeWith('qemu');

const BOOT_TIMEOUT_MS = 150_000;
const README = join(__dirname, '../../../../README.md');
let appliance: ApplianceInfo;
let dir: string;
let vm: QemuSupervisor | undefined;

beforeAll(async () => {
  appliance = await ensureAppliance();
  dir = await mkdtemp(join(tmpdir(), 'ff-layout-test-'));
}, 60_000);

afterAll(async () => {
  await vm?.stop();
  expect(qemuChildren()).toEqual([]);
  await rm(dir, { recursive: true, force: true });
}, 60_000);

async function output(s: QemuSupervisor, command: string) {
  let stdout = '';
  const result = await s.exec(
    { command },
    {
      onStdout: (c) => {
        stdout += c.toString();
      },
    },
  );
  return { ...result, stdout };
}

/** The README's local.config for ff's QEMU VMs: the code block that sets TEST_DEV. */
async function documentedLocalConfig(): Promise<string> {
  const readme = await readFile(README, 'utf8');
  const block = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)]
    .map((m) => m[1] ?? '')
    .find((text) => /^TEST_DEV=/m.test(text) && /^SCRATCH_DEV=/m.test(text));
  if (block === undefined) throw new Error('README.md has no local.config block');
  return block;
}

describe('QEMU drive layout', () => {
  it(
    'boots a root image with two scratch drives: the image is /dev/vda, the drives vdb and vdc by serial, and the documented local.config names them',
    { timeout: BOOT_TIMEOUT_MS + 60_000 },
    async () => {
      const scratchDrives = [{ size: '64M' }, { size: '96M' }];
      vm = new QemuSupervisor({
        name: 'layout',
        kernel: appliance.kernel,
        initrd: appliance.initrd,
        image: appliance.rootImage,
        // No append: the default command line, root=/dev/vda as for a user's config.
        scratchDrives,
        sshKeyPath: appliance.privateKey,
        hostPublicKey: appliance.hostPublicKey,
        memoryMb: 512,
        consoleLogPath: join(dir, 'layout.console.log'),
      });
      await vm.start({ timeoutMs: BOOT_TIMEOUT_MS });

      const root = await output(vm, "grep ' / ' /proc/mounts; cat /etc/ff-on-disk");
      expect(root.stdout).toMatch(/^\/dev\/vda \/ ext4 rw[, ]/m);
      expect(root.stdout).toContain('ff-appliance root disk');

      // What the guest sees, disk by disk, is what guestDisks() documents.
      const layout = guestDisks({ image: appliance.rootImage, scratchDrives });
      expect(layout.map((d) => d.device)).toEqual(['/dev/vda', '/dev/vdb', '/dev/vdc']);
      const seen = await output(
        vm,
        'for d in /sys/block/vd*; do echo "/dev/${d##*/} $(cat $d/serial) $(cat $d/size)"; done',
      );
      const sectors = (d: (typeof layout)[number]) =>
        d.role === 'root' ? '\\d+' : String((d.sizeBytes ?? 0) / 512);
      expect(seen.stdout.trim().split('\n')).toHaveLength(layout.length);
      for (const d of layout) {
        expect(seen.stdout).toMatch(new RegExp(`^${d.device} ${d.serial} ${sectors(d)}$`, 'm'));
      }

      // The README's local.config, sourced in the guest: TEST_DEV and SCRATCH_DEV are block
      // devices, the two scratch drives (by serial), and neither is the mounted root disk.
      const config = await documentedLocalConfig();
      const check = await output(
        vm,
        [
          `printf %s ${shellQuote(config)} >/tmp/local.config`,
          '. /tmp/local.config',
          'rootdev=$(awk \'$2 == "/" { print $1 }\' /proc/mounts)',
          'for dev in "$TEST_DEV" "$SCRATCH_DEV"; do',
          '  test -b "$dev" || { echo "$dev: not a block device"; exit 1; }',
          '  test "$dev" != "$rootdev" || { echo "$dev: the root disk"; exit 1; }',
          '  echo "$dev $(cat /sys/class/block/${dev#/dev/}/serial)"',
          'done',
        ].join('\n'),
      );
      expect(check.stdout).toBe('/dev/vdb ff-0\n/dev/vdc ff-1\n');
      expect(check.exitCode).toBe(0);
    },
  );
});
