import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { itWith } from '../../../parallelrunner/test/support/e2e.js';
import {
  createScratchDrives,
  imageFormat,
  removeScratchDrives,
  scratchDriveArgs,
} from '../../src/qemu/drives.js';
import { QemuOptionError } from '../../src/qemu/errors.js';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

describe('scratch drives', () => {
  it('creates sparse files of the requested size and removes them', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ff-drives-'));
    dirs.push(dir);
    const drives = await createScratchDrives(
      dir,
      [{ size: '1G' }, { size: '64M', serial: 'scratch' }],
      'vm',
    );
    expect(drives.map((d) => d.path)).toEqual([join(dir, 'vm-0.img'), join(dir, 'vm-1.img')]);
    expect(drives.map((d) => d.serial)).toEqual(['ff-0', 'scratch']);
    const info = await stat(drives[0]?.path ?? '');
    expect(info.size).toBe(1024 ** 3);
    expect(info.blocks * 512).toBeLessThan(1024 * 1024);
    expect(scratchDriveArgs(drives)).toEqual([
      '-drive',
      `file=${join(dir, 'vm-0.img')},if=none,id=ffscratch0,format=raw,cache=unsafe,discard=unmap`,
      '-device',
      'virtio-blk-pci,drive=ffscratch0,serial=ff-0',
      '-drive',
      `file=${join(dir, 'vm-1.img')},if=none,id=ffscratch1,format=raw,cache=unsafe,discard=unmap`,
      '-device',
      'virtio-blk-pci,drive=ffscratch1,serial=scratch',
    ]);
    await removeScratchDrives(drives);
    await expect(stat(drives[0]?.path ?? '')).rejects.toMatchObject({ code: 'ENOENT' });
    await removeScratchDrives(drives);
  });

  it('removes what it created when a later drive is invalid', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ff-drives-'));
    dirs.push(dir);
    await expect(
      createScratchDrives(dir, [{ size: '1M' }, { size: '1M', serial: 'bad,serial' }]),
    ).rejects.toThrow(QemuOptionError);
    await expect(stat(join(dir, 'scratch-0.img'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('doubles commas in paths for QEMU option lists', () => {
    const args = scratchDriveArgs([{ path: '/a,b/x.img', id: 'd0', serial: 's', sizeBytes: 1 }]);
    expect(args[1]).toBe('file=/a,,b/x.img,if=none,id=d0,format=raw,cache=unsafe,discard=unmap');
  });
});

describe('imageFormat', () => {
  itWith('qemu-img')('tells qcow2 from raw, and names an unreadable image', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ff-image-'));
    dirs.push(dir);
    const qcow2 = join(dir, 'root.qcow2');
    execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', qcow2, '16M']);
    expect(await imageFormat(qcow2)).toBe('qcow2');
    const raw = join(dir, 'root.img');
    await writeFile(raw, Buffer.alloc(4096));
    expect(await imageFormat(raw)).toBe('raw');
    const tiny = join(dir, 'tiny.img');
    await writeFile(tiny, 'QF');
    expect(await imageFormat(tiny)).toBe('raw');
    const missing = join(dir, 'missing.img');
    await expect(imageFormat(missing)).rejects.toThrow(
      new QemuOptionError(
        `cannot read the root disk image ${missing}: ENOENT: no such file or directory, open '${missing}'`,
      ),
    );
  });
});
