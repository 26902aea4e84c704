import type { Accel } from './accel.js';
import {
  type ImageFormat,
  type ScratchDrive,
  qemuOptionValue,
  scratchDriveArgs,
} from './drives.js';
import { ROOT_SERIAL } from './layout.js';

/** Everything one QEMU launch needs, resolved (accelerator chosen, port and files allocated). */
export interface QemuLaunchSpec {
  /** `-accel`: `kvm` (with `-cpu host`) or `tcg`. */
  readonly accel: Accel;
  /** `-m`: guest memory in MiB. */
  readonly memoryMb: number;
  /** `-smp`: number of guest CPUs. */
  readonly cpus: number;
  /** Kernel image (bzImage). */
  readonly kernel: string;
  /** Initramfs passed with `-initrd`. Default: none. */
  readonly initrd?: string;
  /**
   * Root disk image, attached read-only-for-the-guest via `snapshot=on` (many VMs, one image),
   * as the first disk: `/dev/vda`, serial `ff-root`.
   */
  readonly image?: string;
  /** Format of `image`. Default: QEMU probes it (and warns). */
  readonly imageFormat?: ImageFormat;
  /** Kernel command line. */
  readonly append: string;
  /** Host port forwarded (on 127.0.0.1) to the guest's port 22. */
  readonly sshPort: number;
  /** Unix socket path of the QMP monitor. */
  readonly qmpSocket: string;
  /** Scratch drives attached as virtio-blk devices, after the root image, in this order. */
  readonly drives: readonly ScratchDrive[];
  /** Appended to the QEMU command line as given. */
  readonly extraArgs: readonly string[];
}

/** Default kernel command line: serial console, and reboot at once on panic (QEMU then exits). */
export function defaultAppend(spec: { image?: string }): string {
  const base = 'console=ttyS0 panic=-1';
  return spec.image ? `${base} root=/dev/vda rw` : base;
}

/**
 * The QEMU command line for `spec`. The serial console goes to stdout, nothing reads stdin,
 * there is no display, `-no-reboot` turns a guest reboot or panic into a QEMU exit, QMP listens
 * on a unix socket, and user networking forwards 127.0.0.1:`sshPort` to the guest's port 22.
 */
export function buildQemuArgs(spec: QemuLaunchSpec): string[] {
  const args = ['-nodefaults', '-display', 'none', '-no-reboot'];
  args.push('-accel', spec.accel);
  if (spec.accel === 'kvm') args.push('-cpu', 'host');
  args.push('-m', String(spec.memoryMb), '-smp', String(spec.cpus));
  args.push('-chardev', 'stdio,id=console,signal=off', '-serial', 'chardev:console');
  args.push('-qmp', `unix:${qemuOptionValue(spec.qmpSocket)},server=on,wait=off`);
  args.push('-kernel', spec.kernel, '-append', spec.append);
  if (spec.initrd) args.push('-initrd', spec.initrd);
  // The disks come before every other device, root image first: virtio disks are named in PCI
  // slot order, which is the order of the -device options (an `if=virtio` drive would be added
  // after all of them and follow the scratch drives). See `guestDisks`.
  if (spec.image) {
    const format = spec.imageFormat ? `,format=${spec.imageFormat}` : '';
    args.push(
      '-drive',
      `file=${qemuOptionValue(spec.image)},if=none,id=ffroot,snapshot=on${format}`,
      '-device',
      `virtio-blk-pci,drive=ffroot,serial=${ROOT_SERIAL}`,
    );
  }
  args.push(...scratchDriveArgs(spec.drives));
  args.push(
    '-nic',
    `user,model=virtio-net-pci,hostfwd=tcp:127.0.0.1:${spec.sshPort}-:22`,
    '-device',
    'virtio-rng-pci',
  );
  args.push(...spec.extraArgs);
  return args;
}
