import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImageOptionError } from '../../src/image/errors.js';
import { bzImageVersion, findModules, resolveImageKernel } from '../../src/image/kernel.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ff-kernel-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A file with a bzImage boot header whose version string is `version`. */
async function fakeBzImage(name: string, version: string): Promise<string> {
  const image = Buffer.alloc(0x400);
  image.write('HdrS', 0x202, 'latin1');
  image.writeUInt16LE(0x100, 0x20e); // the string is at 0x100 + 0x200
  image.write(`${version} (me@host) #3 SMP PREEMPT_DYNAMIC\0`, 0x300, 'latin1');
  const path = join(dir, name);
  await writeFile(path, image);
  return path;
}

describe('bzImageVersion', () => {
  it('reads the release from the boot header', async () => {
    expect(await bzImageVersion(await fakeBzImage('bz1', '6.12.0-rc3-dirty+'))).toBe(
      '6.12.0-rc3-dirty+',
    );
  });

  it("reads the host's /boot kernels as uname -r names them", async () => {
    const names = (await readdir('/boot').catch(() => [] as string[])).filter((n) =>
      n.startsWith('vmlinuz-'),
    );
    for (const name of names) {
      expect(await bzImageVersion(join('/boot', name))).toBe(name.slice('vmlinuz-'.length));
    }
  });

  it('refuses a file that is not a bzImage, and a missing file, naming the option', async () => {
    const path = join(dir, 'not-a-kernel');
    await writeFile(path, 'hello\n');
    await expect(bzImageVersion(path)).rejects.toThrow(
      new ImageOptionError(
        'kernel',
        `${path} is not a bzImage (no "HdrS" boot header): give the kernel's arch/x86/boot/bzImage or /boot/vmlinuz-*`,
      ),
    );
    await expect(bzImageVersion(join(dir, 'nope'))).rejects.toThrow(/^kernel: cannot read .*nope/);
  });
});

describe('findModules', () => {
  it('takes a lib/modules/VERSION directory or an INSTALL_MOD_PATH', async () => {
    const direct = join(dir, 'direct');
    await mkdir(direct, { recursive: true });
    await writeFile(join(direct, 'modules.dep'), '');
    expect(await findModules('6.12.0', direct)).toBe(direct);
    const installed = join(dir, 'install', 'lib', 'modules', '6.12.0');
    await mkdir(installed, { recursive: true });
    await writeFile(join(installed, 'modules.dep'), '');
    expect(await findModules('6.12.0', join(dir, 'install'))).toBe(installed);
  });

  it('says where it looked and what to pass', async () => {
    await expect(findModules('6.12.0', join(dir, 'install-missing'))).rejects.toThrow(
      /^modules: .*install-missing is not a directory/,
    );
    await expect(findModules('0.0.0-none')).rejects.toThrow(
      /^kernel: no modules.dep for kernel 0\.0\.0-none in \/lib\/modules\/0\.0\.0-none: pass --modules DIR/,
    );
  });

  it('resolves a kernel with its modules and no config', async () => {
    const kernel = await fakeBzImage('bz2', '6.12.0');
    expect(await resolveImageKernel(kernel, join(dir, 'install'))).toEqual({
      path: kernel,
      version: '6.12.0',
      modulesDir: join(dir, 'install', 'lib', 'modules', '6.12.0'),
      configPath: undefined,
    });
  });
});
