/** `ff doctor` as a user runs it, from a directory outside the repository. */
import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWith } from '../../../packages/parallelrunner/test/support/e2e.js';
import { type Workspace, ff, workspace } from './support/env.js';

const describe = describeWith('sshd');

let busy: Workspace;

beforeAll(async () => {
  // Hosts that accept the connection and log in, but whose commands take 40 s to run.
  busy = await workspace(2, { config: ['ForceCommand sleep 40'] });
}, 60_000);

afterAll(async () => {
  await busy?.[Symbol.asyncDispose]();
});

async function doctor(args: string[], config = '') {
  await busy.writeConfig(config);
  const started = performance.now();
  const r = await ff(['doctor', '--vms', busy.vms.join(','), ...args], {
    cwd: busy.dir,
    env: { HOME: busy.home },
  });
  return { ...r, seconds: (performance.now() - started) / 1000 };
}

describe('ff doctor --vms with two busy hosts', () => {
  it('ends within --host-timeout, both hosts checked at once and named', async () => {
    const r = await doctor(['--host-timeout', '3']);
    console.log(`ff doctor --host-timeout 3, two busy hosts: ${r.seconds.toFixed(1)} s`);
    expect(r.code).toBe(1);
    for (const host of ['host1', 'host2']) {
      expect(r.stdout).toMatch(
        new RegExp(`^FAIL host ${host}: ${host}: did not become ready within 3s$`, 'm'),
      );
    }
    expect(r.stdout).toMatch(/fix: .*longer \[custom_vm\] timeout \(--host-timeout\)/);
    // Not the 40 s the hosts' commands take, nor 2 x 3 s one after the other plus a hang.
    expect(r.seconds).toBeLessThan(20);
  }, 60_000);

  it('takes the timeout from [custom_vm] timeout', async () => {
    const r = await doctor([], '[custom_vm]\ntimeout = 2\n');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^FAIL host host1: host1: did not become ready within 2s$/m);
    expect(r.seconds).toBeLessThan(20);
  }, 60_000);

  it('rejects a bad --host-timeout with exit 2, naming the key', async () => {
    const r = await doctor(['--host-timeout', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/custom_vm\.timeout: expected a number > 0, got 0/);
  }, 60_000);
});

describe('ff doctor with --qemu.* flags', () => {
  beforeAll(async () => {
    await writeFile(join(busy.dir, 'bzImage'), 'kernel');
    await writeFile(join(busy.dir, 'rootfs.ext4'), 'image');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(busy.dir, 'vm_key')]);
  });

  /** The kernel, image and key in the workspace, named by relative paths as a user would. */
  function qemuFlags(extra: string[]): string[] {
    return [
      'doctor',
      '--qemu.num',
      '2',
      '--qemu.accel',
      'tcg',
      '--qemu.kernel',
      'bzImage',
      '--qemu.image',
      'rootfs.ext4',
      '--qemu.ssh-key',
      'vm_key',
      '--qemu.scratch-drives',
      '3G,3G',
      '--qemu.memory',
      '2048',
      '--qemu.cpus',
      '2',
      ...extra,
    ];
  }

  it('prints the drive layout and accepts the default root=/dev/vda', async () => {
    await busy.writeConfig('');
    const r = await ff(qemuFlags([]), { cwd: busy.dir, env: { HOME: busy.home } });
    expect(r.stdout).toContain(
      'ok   QEMU drives: /dev/vda root image rootfs.ext4 (/dev/disk/by-id/virtio-ff-root), ' +
        '/dev/vdb scratch 3G (/dev/disk/by-id/virtio-ff-0), ' +
        '/dev/vdc scratch 3G (/dev/disk/by-id/virtio-ff-1)\n',
    );
    expect(r.stdout).toContain('ok   QEMU root=: root=/dev/vda is the root image\n');
    expect(r.stdout).toContain(`ok   SSH key ${join(busy.dir, 'vm_key')}: usable\n`);
    expect(r.stdout).not.toMatch(/FAIL QEMU/);
  }, 60_000);

  it('fails, exit 1, when --qemu.append puts root= on a scratch drive', async () => {
    await busy.writeConfig('');
    const args = qemuFlags(['--qemu.append', 'console=ttyS0 panic=-1 root=/dev/vdc rw']);
    const r = await ff(args, { cwd: busy.dir, env: { HOME: busy.home } });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      'FAIL QEMU root=: root=/dev/vdc is scratch drive 1 (3G), not the root image: the image is /dev/vda\n' +
        '     fix: set [qemu] append to "console=ttyS0 panic=-1 root=/dev/vda rw" (or leave it unset)\n',
    );
  }, 60_000);

  it('lists the flags in ff --help', async () => {
    const r = await ff(['--help'], { cwd: busy.dir, env: { HOME: busy.home } });
    for (const flag of [
      'qemu.memory',
      'qemu.cpus',
      'qemu.ssh-key',
      'qemu.scratch-drives',
      'host-timeout',
    ]) {
      expect(r.stdout).toContain(`--${flag}`);
    }
  });
});
