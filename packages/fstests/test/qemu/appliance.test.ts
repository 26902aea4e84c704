import { execFileSync } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { ensureAppliance } from '../support/appliance.js';

/** The initramfs member list and the contents of some members. */
function listInitrd(initrd: string): string[] {
  return execFileSync('sh', ['-c', `gzip -dc "$1" | cpio -t --quiet`, 'sh', initrd], {
    encoding: 'utf8',
  }).split('\n');
}
function readMember(initrd: string, member: string): string {
  return execFileSync(
    'sh',
    ['-c', `gzip -dc "$1" | cpio -i --to-stdout --quiet "$2"`, 'sh', initrd, member],
    {
      encoding: 'utf8',
    },
  );
}

describe('appliance/build.sh', () => {
  it(
    'builds an initramfs with busybox, dropbear, the key, the modules and the suite',
    { timeout: 60_000 },
    async () => {
      const started = performance.now();
      const info = await ensureAppliance();
      const ms = Math.round(performance.now() - started);
      console.log(`appliance ready in ${ms} ms (a cached build is reused): ${info.initrd}`);
      expect(info.kernel).toMatch(/^\/boot\/vmlinuz-/);
      expect(info.hostPublicKey).toMatch(/^ssh-ed25519 AAAA/);
      for (const path of [info.initrd, info.privateKey, info.publicKey]) {
        expect((await stat(path)).isFile()).toBe(true);
      }
      const members = listInitrd(info.initrd);
      for (const member of [
        'init',
        'bin/busybox',
        'usr/bin/setsid',
        'bin/kill',
        'bin/dmesg',
        'bin/sh',
        'bin/tar',
        'sbin/poweroff',
        'usr/sbin/dropbear',
        'usr/lib/sftp-server',
        'etc/ff-appliance',
        'root/.ssh/authorized_keys',
        'var/lib/xfstests/check',
        'var/lib/xfstests/tests/generic/001',
        'var/lib/xfstests/tests/generic/900',
        'var/lib/xfstests/tests/generic/901',
        'var/lib/xfstests/tests/generic/902',
      ]) {
        expect(members).toContain(member);
      }
      const publicKey = execFileSync('cat', [info.publicKey], { encoding: 'utf8' });
      expect(readMember(info.initrd, 'root/.ssh/authorized_keys')).toBe(publicKey);

      // Modules load in modules.dep order: each one after everything it depends on.
      const order = readMember(info.initrd, 'etc/ff-modules')
        .trim()
        .split('\n')
        .map((m) => m.replace(/^.*\//, '').replace(/\.ko$/, ''));
      const loadsBefore = (a: string, b: string) => order.indexOf(a) < order.indexOf(b);
      for (const m of [
        'virtio_ring',
        'virtio',
        'virtio_pci',
        'failover',
        'net_failover',
        'virtio_net',
        'virtio_blk',
      ]) {
        expect(order).toContain(m);
      }
      expect(loadsBefore('virtio_ring', 'virtio')).toBe(true);
      expect(loadsBefore('virtio', 'virtio_pci')).toBe(true);
      expect(loadsBefore('failover', 'net_failover')).toBe(true);
      expect(loadsBefore('net_failover', 'virtio_net')).toBe(true);
    },
  );

  it(
    'is idempotent: a second build with unchanged inputs reuses the image',
    { timeout: 60_000 },
    async () => {
      const info = await ensureAppliance();
      const before = await stat(info.initrd);
      const out = execFileSync(
        'sh',
        [
          new URL('../../appliance/build.sh', import.meta.url).pathname,
          info.initrd.replace(/\/[^/]*$/, ''),
        ],
        {
          encoding: 'utf8',
        },
      );
      expect(JSON.parse(out)).toEqual(info);
      expect((await stat(info.initrd)).mtimeMs).toBe(before.mtimeMs);
    },
  );
});
