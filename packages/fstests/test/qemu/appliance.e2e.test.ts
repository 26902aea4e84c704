import { execFileSync } from 'node:child_process';
import { cp, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { expect, it } from 'vitest';
import { describeWith } from '../../../parallelrunner/test/support/e2e.js';
import { applianceScript } from '../../src/qemu/appliance.js';
import { ensureAppliance } from '../support/appliance.js';

const describe = describeWith('qemu', 'busybox');

/**
 * Copy what `build.sh` reads from the package (itself, `guest/`, the fixture suite) into
 * `dir`, laid out as in the package; returns the copied script.
 */
async function copyBuildInputs(dir: string): Promise<string> {
  const appliance = dirname(applianceScript());
  const suite = join(appliance, '..', 'test', 'fixtures', 'fstests');
  await cp(appliance, join(dir, 'appliance'), { recursive: true });
  await cp(suite, join(dir, 'test', 'fixtures', 'fstests'), {
    recursive: true,
    filter: (source) => !source.startsWith(join(suite, 'results')),
  });
  return join(dir, 'appliance', basename(applianceScript()));
}

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

      // The root-disk modules load only for a disk boot, after the virtio ones, crc32c before ext4.
      const rootOrder = readMember(info.initrd, 'etc/ff-root-modules')
        .trim()
        .split('\n')
        .map((m) => m.replace(/^.*\//, '').replace(/\.ko$/, ''));
      expect(rootOrder.at(-1)).toBe('ext4');
      expect(rootOrder).toContain('crc32c_generic');
      expect(rootOrder).toContain('jbd2');
      for (const m of rootOrder) expect(order).not.toContain(m);
      for (const m of rootOrder) expect(members.some((x) => x.endsWith(`/${m}.ko`))).toBe(true);
    },
  );

  it(
    'builds the root disk image with the same system, owned by root even when built by a user',
    { timeout: 60_000 },
    async () => {
      const info = await ensureAppliance();
      expect(info.rootImage.endsWith('/rootfs.ext4')).toBe(true);
      const owner = (image: string, path: string) =>
        execFileSync('debugfs', ['-R', `stat ${path}`, image], {
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'ignore'],
        })
          .match(/User: +(\d+) +Group: +(\d+)/)
          ?.slice(1);
      const disk = (image: string, path: string) =>
        execFileSync('debugfs', ['-R', `cat ${path}`, image], {
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'ignore'],
        });
      expect(disk(info.rootImage, '/etc/ff-appliance')).toBe(
        readMember(info.initrd, 'etc/ff-appliance'),
      );
      expect(disk(info.rootImage, '/etc/ff-on-disk')).toContain('root disk');
      expect(listInitrd(info.initrd)).not.toContain('etc/ff-on-disk');
      expect(owner(info.rootImage, '/root/.ssh/authorized_keys')).toEqual(['0', '0']);

      // Built by an unprivileged user (possible only when the tests run as root here). The user
      // may not be able to read this checkout (a clone under a 0700 home): it builds from its
      // own copy of the script, the guest files and the suite.
      if (process.getuid?.() !== 0) return;
      const home = await mkdtemp(join(tmpdir(), 'ff-appliance-user-'));
      try {
        const script = await copyBuildInputs(join(home, 'pkg'));
        execFileSync('chown', ['-R', '65534:65534', home]);
        const out = execFileSync(
          'setpriv',
          ['--reuid=65534', '--regid=65534', '--clear-groups', 'sh', script, join(home, 'out')],
          {
            encoding: 'utf8',
            env: { ...process.env, HOME: home },
            stdio: ['ignore', 'pipe', 'pipe'],
          },
        );
        const built = JSON.parse(out) as { rootImage: string };
        expect((await stat(built.rootImage)).uid).toBe(65534);
        for (const path of ['/root/.ssh/authorized_keys', '/root/.ssh', '/bin/busybox', '/init']) {
          expect(owner(built.rootImage, path), path).toEqual(['0', '0']);
        }
      } finally {
        await rm(home, { recursive: true, force: true });
      }
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
