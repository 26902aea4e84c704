/** Doctor checks of a QEMU VM's disks and kernel command line, without booting anything. */
import { basename } from 'node:path';
import { type GuestDisk, guestDisks } from '../qemu/layout.js';
import { defaultAppend } from '../qemu/qemu-args.js';
import type { DoctorCheck } from './types.js';

/** What the drive checks look at (`DoctorOptions.qemu`). */
export interface DriveCheckInput {
  readonly image?: string;
  readonly initrd?: string;
  readonly append?: string;
  /** Scratch drive sizes, in order (`[qemu] scratch_drives`). */
  readonly scratchDrives?: readonly string[];
  readonly extraArgs?: readonly string[];
}

const NAME_LAYOUT = 'QEMU drives';
const NAME_ROOT = 'QEMU root=';
const FIX_APPEND =
  'set [qemu] append to "console=ttyS0 panic=-1 root=/dev/vda rw" (or leave it unset)';

function describeDisk(d: GuestDisk): string {
  return d.role === 'root'
    ? `${d.device} root image ${basename(d.image ?? '')} (${d.byId})`
    : `${d.device} scratch ${formatBytes(d.sizeBytes ?? 0)} (${d.byId})`;
}

function formatBytes(bytes: number): string {
  for (const [unit, size] of [
    ['T', 1024 ** 4],
    ['G', 1024 ** 3],
    ['M', 1024 ** 2],
    ['K', 1024],
  ] as const) {
    if (bytes >= size && bytes % size === 0) return `${bytes / size}${unit}`;
  }
  return `${bytes} bytes`;
}

/** The value of the last `root=` on a kernel command line (the one the kernel uses). */
export function rootArgument(append: string): string | undefined {
  let root: string | undefined;
  for (const word of append.split(/\s+/)) if (word.startsWith('root=')) root = word.slice(5);
  return root;
}

/**
 * The disk `root` names: `/dev/vdX` or a partition of it (`/dev/vdX1`), or the udev name
 * `/dev/disk/by-id/virtio-<serial>` (or `-partN`). `undefined` when it names no disk of
 * `disks`; `'unknown'` when it names a file system (`UUID=`, `LABEL=`, ...), which cannot be
 * told without reading the disks.
 */
function diskFor(root: string, disks: readonly GuestDisk[]): GuestDisk | 'unknown' | undefined {
  if (/^(PART)?(UUID|LABEL)=/i.test(root) || /^\/dev\/disk\/by-(uuid|label|part)/.test(root)) {
    return 'unknown';
  }
  const byId = /^\/dev\/disk\/by-id\/virtio-(.+?)(-part\d+)?$/.exec(root);
  if (byId) return disks.find((d) => d.serial === byId[1]);
  const device = /^(\/dev\/vd[a-z]+)\d*$/.exec(root)?.[1];
  return device === undefined ? undefined : disks.find((d) => d.device === device);
}

function fail(name: string, detail: string, fix: string, required = true): DoctorCheck {
  return { name, ok: false, required, detail, fix };
}

/**
 * The disks every VM gets, in the guest's order (see `guestDisks`), and whether the kernel
 * command line's `root=` names the root image: a `root=` naming a scratch drive (which fstests
 * would then format) or no disk at all fails, as does an image without `root=`.
 */
export function checkDrives(q: DriveCheckInput): DoctorCheck[] {
  let disks: GuestDisk[];
  try {
    disks = guestDisks({
      ...(q.image === undefined ? {} : { image: q.image }),
      scratchDrives: (q.scratchDrives ?? []).map((size) => ({ size })),
    });
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return [fail(NAME_LAYOUT, detail, 'fix [qemu] scratch_drives (sizes like "3G")')];
  }
  const layout: DoctorCheck = {
    name: NAME_LAYOUT,
    ok: true,
    required: true,
    detail: disks.length === 0 ? 'no disks' : disks.map(describeDisk).join(', '),
  };
  return [layout, checkRoot(q, disks)];
}

function checkRoot(q: DriveCheckInput, disks: readonly GuestDisk[]): DoctorCheck {
  const append = q.append ?? defaultAppend(q);
  const root = rootArgument(append);
  const image = disks.find((d) => d.role === 'root');
  const extraDisks = (q.extraArgs ?? []).some((a) => a === '-drive' || a === '-device');
  if (root === undefined) {
    if (image) {
      return fail(
        NAME_ROOT,
        `the command line has no root=: the kernel does not mount the image (${image.device})`,
        FIX_APPEND,
      );
    }
    if (q.initrd === undefined && !extraDisks) {
      return fail(
        NAME_ROOT,
        'no image, no initrd and no root=: the kernel has no root file system',
        'set [qemu] image (a root disk image) or initrd',
      );
    }
    return { name: NAME_ROOT, ok: true, required: true, detail: 'none: the initramfs is the root' };
  }
  const disk = diskFor(root, disks);
  if (disk === 'unknown') {
    return {
      name: NAME_ROOT,
      ok: true,
      required: true,
      detail: `root=${root} names a file system, which cannot be checked without booting`,
    };
  }
  if (disk?.role === 'root') {
    return { name: NAME_ROOT, ok: true, required: true, detail: `root=${root} is the root image` };
  }
  const where = image ? `the image is ${image.device}` : 'no [qemu] image is set';
  if (disk?.role === 'scratch') {
    return fail(
      NAME_ROOT,
      `root=${root} is scratch drive ${disk.index} (${formatBytes(disk.sizeBytes ?? 0)}), not the root image: ${where}`,
      image ? FIX_APPEND : 'set [qemu] image, or drop root= from [qemu] append',
    );
  }
  const attached = disks.length === 0 ? 'none' : disks.map((d) => d.device).join(', ');
  return fail(
    NAME_ROOT,
    `root=${root} names no disk ff attaches (${attached}); ${where}${extraDisks ? ' ([qemu] extra_args may add it)' : ''}`,
    image ? FIX_APPEND : 'set [qemu] image, or drop root= from [qemu] append',
    !extraDisks,
  );
}
