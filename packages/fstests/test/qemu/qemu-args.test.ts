import { describe, expect, it } from 'vitest';
import { buildQemuArgs, defaultAppend } from '../../src/qemu/qemu-args.js';

const base = {
  memoryMb: 512,
  cpus: 2,
  kernel: '/boot/vmlinuz',
  append: 'console=ttyS0 panic=-1',
  sshPort: 40022,
  qmpSocket: '/tmp/x/qmp.sock',
  drives: [],
  extraArgs: ['-device', 'nvme,serial=a'],
} as const;

describe('buildQemuArgs', () => {
  it('boots a kernel + initrd under TCG with console on stdio, QMP and the SSH forward', () => {
    const args = buildQemuArgs({ ...base, accel: 'tcg', initrd: '/a/initrd.cpio.gz' });
    expect(args.join(' ')).toBe(
      [
        '-nodefaults -display none -no-reboot -accel tcg -m 512 -smp 2',
        '-chardev stdio,id=console,signal=off -serial chardev:console',
        '-qmp unix:/tmp/x/qmp.sock,server=on,wait=off',
        '-kernel /boot/vmlinuz -append console=ttyS0 panic=-1 -initrd /a/initrd.cpio.gz',
        '-nic user,model=virtio-net-pci,hostfwd=tcp:127.0.0.1:40022-:22 -device virtio-rng-pci',
        '-device nvme,serial=a',
      ].join(' '),
    );
  });

  it('uses the host CPU under KVM and boots an image as a snapshot', () => {
    const args = buildQemuArgs({ ...base, accel: 'kvm', image: '/img/a,b.raw' });
    expect(args).toContain('host');
    expect(args[args.indexOf('-cpu') - 1]).toBe('kvm');
    expect(args).toContain('file=/img/a,,b.raw,if=none,id=ffroot,snapshot=on');
    expect(args).not.toContain('-initrd');
    const named = buildQemuArgs({
      ...base,
      accel: 'tcg',
      image: '/img/r.qcow2',
      imageFormat: 'qcow2',
    });
    expect(named).toContain('file=/img/r.qcow2,if=none,id=ffroot,snapshot=on,format=qcow2');
  });

  it('adds a root device to the default command line only for an image', () => {
    expect(defaultAppend({})).toBe('console=ttyS0 panic=-1');
    expect(defaultAppend({ image: '/i' })).toBe('console=ttyS0 panic=-1 root=/dev/vda rw');
  });
});
