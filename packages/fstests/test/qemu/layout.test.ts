import { describe, expect, it } from 'vitest';
import { QemuOptionError } from '../../src/qemu/errors.js';
import { guestDisks, parseSize, virtioDiskName } from '../../src/qemu/layout.js';
import { buildQemuArgs } from '../../src/qemu/qemu-args.js';

describe('parseSize', () => {
  it.each([
    [4096, 4096],
    ['512M', 512 * 1024 ** 2],
    ['2G', 2 * 1024 ** 3],
    ['1GiB', 1024 ** 3],
    ['10k', 10 * 1024],
    ['100', 100],
  ])('%j is %d bytes', (input, bytes) => {
    expect(parseSize(input)).toBe(bytes);
  });

  it.each([0, -1, 1.5, '', 'big', '2X', '-1G'])('rejects %j', (input) => {
    expect(() => parseSize(input)).toThrow(QemuOptionError);
  });
});

describe('virtioDiskName', () => {
  it.each([
    [0, 'vda'],
    [1, 'vdb'],
    [25, 'vdz'],
    [26, 'vdaa'],
    [27, 'vdab'],
    [51, 'vdaz'],
    [52, 'vdba'],
    [701, 'vdzz'],
    [702, 'vdaaa'],
  ])('disk %d is %s', (n, name) => {
    expect(virtioDiskName(n)).toBe(name);
  });
});

describe('guestDisks', () => {
  it('puts the root image first, then the scratch drives in order', () => {
    const disks = guestDisks({
      image: '/i/root.qcow2',
      scratchDrives: [{ size: '3G' }, { size: '1G', serial: 'mine' }],
    });
    expect(disks).toEqual([
      {
        role: 'root',
        device: '/dev/vda',
        serial: 'ff-root',
        byId: '/dev/disk/by-id/virtio-ff-root',
        image: '/i/root.qcow2',
      },
      {
        role: 'scratch',
        device: '/dev/vdb',
        serial: 'ff-0',
        byId: '/dev/disk/by-id/virtio-ff-0',
        sizeBytes: 3 * 1024 ** 3,
        index: 0,
      },
      {
        role: 'scratch',
        device: '/dev/vdc',
        serial: 'mine',
        byId: '/dev/disk/by-id/virtio-mine',
        sizeBytes: 1024 ** 3,
        index: 1,
      },
    ]);
  });

  it('starts the scratch drives at /dev/vda without an image', () => {
    const disks = guestDisks({ scratchDrives: [{ size: '1G' }, { size: '1G' }] });
    expect(disks.map((d) => [d.device, d.serial])).toEqual([
      ['/dev/vda', 'ff-0'],
      ['/dev/vdb', 'ff-1'],
    ]);
    expect(guestDisks({})).toEqual([]);
  });

  it.each([
    [[{ size: '1G', serial: 'ff-root' }], /"ff-root" is the root disk's/],
    [
      [
        { size: '1G', serial: 'a' },
        { size: '1G', serial: 'a' },
      ],
      /"a" is given twice/,
    ],
    [[{ size: '1G', serial: 'a b' }], /expected 1-20 letters/],
    [[{ size: '1X' }], /expected e\.g\. "512M"/],
  ])('rejects %j', (scratchDrives, message) => {
    expect(() => guestDisks({ image: '/i', scratchDrives })).toThrow(QemuOptionError);
    expect(() => guestDisks({ image: '/i', scratchDrives })).toThrow(message);
  });

  it('matches the order in which buildQemuArgs attaches the disks', () => {
    const scratchDrives = [{ size: '1G' }, { size: '2G' }];
    const drives = scratchDrives.map((d, i) => ({
      path: `/t/s${i}.img`,
      id: `ffscratch${i}`,
      serial: `ff-${i}`,
      sizeBytes: parseSize(d.size),
    }));
    const args = buildQemuArgs({
      accel: 'tcg',
      memoryMb: 512,
      cpus: 1,
      kernel: '/k',
      image: '/i/root.raw',
      append: 'root=/dev/vda',
      sshPort: 1,
      qmpSocket: '/t/q',
      drives,
      extraArgs: ['-device', 'virtio-blk-pci,drive=extra,serial=extra'],
    });
    const devices = args.flatMap((a, i) => (args[i - 1] === '-device' ? [a] : []));
    const disks = devices.filter((d) => d.startsWith('virtio-blk-pci,'));
    // Every disk precedes every other device, in guestDisks' order, extra_args' last.
    expect(devices.slice(0, 3)).toEqual(disks.slice(0, 3));
    expect(disks.map((d) => /serial=([^,]+)/.exec(d)?.[1])).toEqual([
      ...guestDisks({ image: '/i/root.raw', scratchDrives }).map((d) => d.serial),
      'extra',
    ]);
  });
});
