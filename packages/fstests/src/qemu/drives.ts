import { open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { describeCause } from '@ff/parallelrunner';
import { QemuOptionError } from './errors.js';
import { type ScratchDriveSpec, parseSize, scratchSerial } from './layout.js';

/** A created scratch drive file. */
export interface ScratchDrive {
  /** The sparse raw image file. */
  readonly path: string;
  /** The QEMU drive id (`ffscratch<index>`). */
  readonly id: string;
  /** The serial number the guest sees (`/dev/disk/by-id/virtio-<serial>`). */
  readonly serial: string;
  /** Size of the drive in bytes. */
  readonly sizeBytes: number;
}

/** Create sparse raw files `<prefix>-<index>.img` for `specs` in `dir` (which must exist). */
export async function createScratchDrives(
  dir: string,
  specs: readonly ScratchDriveSpec[],
  prefix = 'scratch',
): Promise<ScratchDrive[]> {
  const drives: ScratchDrive[] = [];
  try {
    for (const [index, spec] of specs.entries()) {
      const sizeBytes = parseSize(spec.size);
      const serial = scratchSerial(spec, index);
      const path = join(dir, `${prefix}-${index}.img`);
      const file = await open(path, 'wx');
      try {
        await file.truncate(sizeBytes);
      } finally {
        await file.close();
      }
      drives.push({ path, id: `ffscratch${index}`, serial, sizeBytes });
    }
  } catch (error) {
    await removeScratchDrives(drives);
    throw error;
  }
  return drives;
}

/** Delete the drive files; missing files are fine. */
export async function removeScratchDrives(drives: readonly ScratchDrive[]): Promise<void> {
  await Promise.all(drives.map((d) => rm(d.path, { force: true })));
}

/** Disk image formats a root image may have. */
export type ImageFormat = 'raw' | 'qcow2';

/**
 * The format of the disk image at `path`: `qcow2` when it starts with the qcow2 magic, else
 * `raw`. Naming it spares QEMU's probing (a warning, and writes to block 0 refused for raw), and
 * an unreadable image fails here, clearly, before a VM is launched.
 */
export async function imageFormat(path: string): Promise<ImageFormat> {
  let file: Awaited<ReturnType<typeof open>>;
  try {
    file = await open(path, 'r');
  } catch (error) {
    throw new QemuOptionError(`cannot read the root disk image ${path}: ${describeCause(error)}`);
  }
  try {
    const head = Buffer.alloc(4);
    const { bytesRead } = await file.read(head, 0, 4, 0);
    return bytesRead === 4 && head.equals(QCOW2_MAGIC) ? 'qcow2' : 'raw';
  } finally {
    await file.close();
  }
}
const QCOW2_MAGIC = Buffer.from([0x51, 0x46, 0x49, 0xfb]); // "QFI\xfb"

/** Escape a value for a QEMU `key=value,...` option list (commas are doubled). */
export function qemuOptionValue(value: string): string {
  return value.replaceAll(',', ',,');
}

/** QEMU arguments attaching `drives` as virtio-blk devices. */
export function scratchDriveArgs(drives: readonly ScratchDrive[]): string[] {
  return drives.flatMap((d) => [
    '-drive',
    `file=${qemuOptionValue(d.path)},if=none,id=${d.id},format=raw,cache=unsafe,discard=unmap`,
    '-device',
    `virtio-blk-pci,drive=${d.id},serial=${d.serial}`,
  ]);
}
