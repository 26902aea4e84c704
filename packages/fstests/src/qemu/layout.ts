import { QemuOptionError } from './errors.js';

/** A scratch drive to attach to a VM, created fresh (sparse) for every boot. */
export interface ScratchDriveSpec {
  /** Size in bytes, or a string with a K/M/G/T suffix (powers of 1024), e.g. `'2G'`. */
  readonly size: number | string;
  /**
   * Serial number the guest sees (`/dev/disk/by-id/virtio-<serial>` with udev). Default
   * `ff-<index>`, e.g. `ff-0` for the first drive.
   */
  readonly serial?: string;
}

/** Serial number of the root image's disk: `/dev/disk/by-id/virtio-ff-root` in the guest. */
export const ROOT_SERIAL = 'ff-root';

/** A disk as the guest sees it. */
export interface GuestDisk {
  /** The root image, or a scratch drive. */
  readonly role: 'root' | 'scratch';
  /** The kernel's name for it: `/dev/vda` for the first virtio disk, then `/dev/vdb`, ... */
  readonly device: string;
  /** Its serial number (`ff-root`, scratch drives `ff-<index>` unless given). */
  readonly serial: string;
  /** The udev name that does not depend on order: `/dev/disk/by-id/virtio-<serial>`. */
  readonly byId: string;
  /** The image file, for the root disk. */
  readonly image?: string;
  /** Size in bytes, for a scratch drive (the root disk is as large as its image). */
  readonly sizeBytes?: number;
  /** Position among the scratch drives (0 for the first), for a scratch drive. */
  readonly index?: number;
}

const SERIAL = /^[A-Za-z0-9_.-]{1,20}$/;
const UNITS: Record<string, number> = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4 };

/** Parse a drive size: a number of bytes, or a string such as `512M` or `2G`. */
export function parseSize(size: number | string): number {
  if (typeof size === 'number') {
    if (Number.isSafeInteger(size) && size > 0) return size;
    throw new QemuOptionError(`scratch drive size: expected a positive integer, got ${size}`);
  }
  const m = /^(\d+)\s*([KMGT]?)i?B?$/i.exec(size.trim());
  const unit = m ? UNITS[(m[2] ?? '').toUpperCase()] : undefined;
  const bytes = m && unit !== undefined ? Number(m[1]) * unit : Number.NaN;
  if (!Number.isSafeInteger(bytes) || bytes <= 0) {
    throw new QemuOptionError(`scratch drive size: expected e.g. "512M" or "2G", got "${size}"`);
  }
  return bytes;
}

/**
 * The kernel's name of the `n`-th virtio disk (0-based): `vda` ... `vdz`, `vdaa`, ... as
 * virtio_blk names them.
 */
export function virtioDiskName(n: number): string {
  let name = '';
  for (let i = n; i >= 0; i = Math.floor(i / 26) - 1) {
    name = String.fromCharCode(97 + (i % 26)) + name;
  }
  return `vd${name}`;
}

/** The serial of scratch drive `index` (`spec.serial`, default `ff-<index>`), validated. */
export function scratchSerial(spec: ScratchDriveSpec, index: number): string {
  const serial = spec.serial ?? `ff-${index}`;
  if (!SERIAL.test(serial)) {
    throw new QemuOptionError(
      `scratch drive serial: expected 1-20 letters, digits, '.', '_' or '-', got "${serial}"`,
    );
  }
  if (serial === ROOT_SERIAL) {
    throw new QemuOptionError(`scratch drive serial: "${ROOT_SERIAL}" is the root disk's`);
  }
  return serial;
}

/**
 * The disks a VM gets, in the order the guest enumerates them: the root image first (so it is
 * `/dev/vda` whatever else is attached), then the scratch drives in the order given (`/dev/vdb`,
 * `/dev/vdc`, ...). Without an image the first scratch drive is `/dev/vda`. Devices added by
 * `extraArgs` come after all of these.
 */
export function guestDisks(spec: {
  readonly image?: string;
  readonly scratchDrives?: readonly ScratchDriveSpec[];
}): GuestDisk[] {
  const disks: GuestDisk[] = [];
  const add = (disk: Omit<GuestDisk, 'device' | 'byId'>) =>
    disks.push({
      ...disk,
      device: `/dev/${virtioDiskName(disks.length)}`,
      byId: `/dev/disk/by-id/virtio-${disk.serial}`,
    });
  if (spec.image !== undefined) add({ role: 'root', serial: ROOT_SERIAL, image: spec.image });
  const seen = new Set<string>();
  for (const [index, drive] of (spec.scratchDrives ?? []).entries()) {
    const serial = scratchSerial(drive, index);
    if (seen.has(serial)) {
      throw new QemuOptionError(`scratch drive serial: "${serial}" is given twice`);
    }
    seen.add(serial);
    add({ role: 'scratch', serial, sizeBytes: parseSize(drive.size), index });
  }
  return disks;
}
