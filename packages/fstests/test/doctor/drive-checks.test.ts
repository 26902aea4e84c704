import { describe, expect, it } from 'vitest';
import { parseConfigText, validateConfig } from '../../src/config/load.js';
import { checkDrives, rootArgument } from '../../src/doctor/drive-checks.js';
import { doctorPassed, runDoctor } from '../../src/doctor/run-doctor.js';
import { doctorOptionsFromConfig } from '../../src/plan/doctor.js';

const image = '/img/rootfs.ext4';
const two = ['3G', '3G'];

function root(input: Parameters<typeof checkDrives>[0]) {
  const [layout, rootCheck] = checkDrives(input);
  return { layout, root: rootCheck };
}

describe('checkDrives: the layout', () => {
  it('lists the root image first, then the scratch drives with their by-id names', () => {
    const { layout } = root({ image, scratchDrives: two });
    expect(layout).toEqual({
      name: 'QEMU drives',
      ok: true,
      required: true,
      detail:
        '/dev/vda root image rootfs.ext4 (/dev/disk/by-id/virtio-ff-root), ' +
        '/dev/vdb scratch 3G (/dev/disk/by-id/virtio-ff-0), ' +
        '/dev/vdc scratch 3G (/dev/disk/by-id/virtio-ff-1)',
    });
  });

  it('starts at /dev/vda without an image, and says when there is no disk', () => {
    expect(root({ initrd: '/i', scratchDrives: ['512M'] }).layout?.detail).toBe(
      '/dev/vda scratch 512M (/dev/disk/by-id/virtio-ff-0)',
    );
    expect(root({ initrd: '/i' }).layout?.detail).toBe('no disks');
  });

  it('fails on a size it cannot parse, naming the key', () => {
    const checks = checkDrives({ image, scratchDrives: ['3X'] });
    expect(checks).toEqual([
      {
        name: 'QEMU drives',
        ok: false,
        required: true,
        detail: 'scratch drive size: expected e.g. "512M" or "2G", got "3X"',
        fix: 'fix [qemu] scratch_drives (sizes like "3G")',
      },
    ]);
  });
});

describe('checkDrives: root=', () => {
  it.each([
    ['the default command line', undefined],
    ['root=/dev/vda', 'console=ttyS0 root=/dev/vda rw'],
    ['a partition of the image', 'console=ttyS0 root=/dev/vda1 rw'],
    ['the image by serial', 'console=ttyS0 root=/dev/disk/by-id/virtio-ff-root'],
    ['the last root= counts', 'root=/dev/vdb console=ttyS0 root=/dev/vda'],
  ])('passes for %s with an image and two scratch drives', (_what, append) => {
    const check = root({ image, scratchDrives: two, ...(append ? { append } : {}) }).root;
    expect(check).toMatchObject({ name: 'QEMU root=', ok: true });
    expect(check?.detail).toMatch(/is the root image$/);
  });

  it('fails when root= names a scratch drive (fstests would format it)', () => {
    const check = root({ image, scratchDrives: two, append: 'console=ttyS0 root=/dev/vdc rw' });
    expect(check.root).toEqual({
      name: 'QEMU root=',
      ok: false,
      required: true,
      detail: 'root=/dev/vdc is scratch drive 1 (3G), not the root image: the image is /dev/vda',
      fix: 'set [qemu] append to "console=ttyS0 panic=-1 root=/dev/vda rw" (or leave it unset)',
    });
    const byId = root({ image, scratchDrives: two, append: 'root=/dev/disk/by-id/virtio-ff-0' });
    expect(byId.root?.detail).toMatch(/is scratch drive 0 \(3G\)/);
  });

  it('fails when root= names no disk ff attaches; only warns when extra_args add devices', () => {
    const missing = root({ image, scratchDrives: two, append: 'root=/dev/vdd' }).root;
    expect(missing).toMatchObject({
      ok: false,
      required: true,
      detail:
        'root=/dev/vdd names no disk ff attaches (/dev/vda, /dev/vdb, /dev/vdc); the image is /dev/vda',
    });
    expect(root({ image, append: 'root=/dev/sda1' }).root).toMatchObject({
      ok: false,
      required: true,
    });
    const extra = root({
      image,
      append: 'root=/dev/sda1',
      extraArgs: ['-device', 'virtio-scsi-pci'],
    }).root;
    expect(extra).toMatchObject({ ok: false, required: false });
    expect(extra?.detail).toMatch(/extra_args may add it/);
  });

  it('fails for an image without root=, and for root= on a scratch drive without an image', () => {
    expect(root({ image, append: 'console=ttyS0 panic=-1' }).root).toMatchObject({
      ok: false,
      detail: 'the command line has no root=: the kernel does not mount the image (/dev/vda)',
    });
    const noImage = root({ initrd: '/i', scratchDrives: two, append: 'root=/dev/vda' }).root;
    expect(noImage).toMatchObject({ ok: false, required: true });
    expect(noImage?.detail).toBe(
      'root=/dev/vda is scratch drive 0 (3G), not the root image: no [qemu] image is set',
    );
  });

  it('passes an initramfs root, and a file system named by UUID or LABEL', () => {
    expect(root({ initrd: '/i', scratchDrives: two }).root).toMatchObject({
      ok: true,
      detail: 'none: the initramfs is the root',
    });
    expect(root({ image, append: 'root=UUID=0a1b console=ttyS0' }).root).toMatchObject({
      ok: true,
      detail: 'root=UUID=0a1b names a file system, which cannot be checked without booting',
    });
    expect(root({ append: 'console=ttyS0' }).root).toMatchObject({ ok: false });
  });

  it('reads the last root= of a command line', () => {
    expect(rootArgument('console=ttyS0 root=/dev/vdb ro root=/dev/vda rw')).toBe('/dev/vda');
    expect(rootArgument('console=ttyS0  rw')).toBeUndefined();
  });
});

describe('doctor on a configuration with scratch drives', () => {
  it('checks the layout and root= from [qemu], and fails for root= on a scratch drive', async () => {
    const text = [
      '[qemu]',
      'num = 2',
      'kernel = "/k"',
      'image = "/img/rootfs.ext4"',
      'scratch_drives = ["3G", "3G"]',
      'append = "console=ttyS0 panic=-1 root=/dev/vdc rw"',
    ].join('\n');
    const config = validateConfig(parseConfigText(text, 'config.toml'), 'config.toml');
    const checks = await runDoctor({
      ...doctorOptionsFromConfig(config, '/'),
      probes: { access: async () => true, readText: async () => undefined },
    });
    expect(checks.find((c) => c.name === 'QEMU drives')?.detail).toMatch(
      /^\/dev\/vda root image rootfs\.ext4 .*\/dev\/vdc scratch 3G/,
    );
    expect(checks.find((c) => c.name === 'QEMU root=')).toMatchObject({ ok: false });
    expect(doctorPassed(checks)).toBe(false);
  });
});
