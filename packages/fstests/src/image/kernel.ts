import { open, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { describeCause } from '@ff/parallelrunner';
import { ImageOptionError } from './errors.js';

/** The kernel an image is built for: its version, modules and configuration. */
export interface ImageKernel {
  /** The kernel image (bzImage). */
  readonly path: string;
  /** Its release, e.g. `6.1.0-18-amd64` (`uname -r` in the guest). */
  readonly version: string;
  /** The directory holding its modules (`modules.dep`, `kernel/...`). */
  readonly modulesDir: string;
  /** Its `.config`, when one was found (the host's `/boot/config-*`, or the build tree's). */
  readonly configPath: string | undefined;
}

const VERSION = /^[A-Za-z0-9._+~-]{1,64}$/;

/**
 * The release of the bzImage at `path`, from its boot header: the `HdrS` signature at 0x202 and
 * the kernel_version pointer at 0x20e, which points (plus 0x200) at "6.1.0-18-amd64 (...) #1 ...".
 */
export async function bzImageVersion(path: string): Promise<string> {
  let file: Awaited<ReturnType<typeof open>>;
  try {
    file = await open(path, 'r');
  } catch (error) {
    throw new ImageOptionError('kernel', `cannot read ${path}: ${describeCause(error)}`);
  }
  try {
    const header = Buffer.alloc(0x210);
    await file.read(header, 0, header.length, 0);
    if (header.toString('latin1', 0x202, 0x206) !== 'HdrS') {
      throw new ImageOptionError(
        'kernel',
        `${path} is not a bzImage (no "HdrS" boot header): give the kernel's arch/x86/boot/bzImage or /boot/vmlinuz-*`,
      );
    }
    const text = Buffer.alloc(256);
    await file.read(text, 0, text.length, header.readUInt16LE(0x20e) + 0x200);
    const version = text.toString('latin1').split(/[\s\0]/)[0] ?? '';
    if (!VERSION.test(version)) {
      throw new ImageOptionError('kernel', `${path}: no kernel version in its boot header`);
    }
    return version;
  } finally {
    await file.close();
  }
}

async function isDir(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isDirectory() ?? false;
}

async function isFile(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isFile() ?? false;
}

/**
 * Where the modules of kernel `version` are: `modules` itself when it holds `modules.dep`
 * (a `lib/modules/<version>` directory), `modules/lib/modules/<version>` (the INSTALL_MOD_PATH
 * of `make modules_install`), or the host's `/lib/modules/<version>` when `modules` is not given.
 */
export async function findModules(version: string, modules?: string): Promise<string> {
  const candidates =
    modules === undefined
      ? [join('/lib/modules', version)]
      : [modules, join(modules, 'lib', 'modules', version)];
  for (const dir of candidates) {
    if (await isFile(join(dir, 'modules.dep'))) return dir;
  }
  const where = candidates.join(' or ');
  const fix =
    modules === undefined
      ? 'pass --modules DIR (the INSTALL_MOD_PATH of `make modules_install`, or a lib/modules/<version> directory)'
      : 'give the INSTALL_MOD_PATH of `make modules_install` or a lib/modules/<version> directory';
  if (modules !== undefined && !(await isDir(modules))) {
    throw new ImageOptionError('modules', `${modules} is not a directory: ${fix}`);
  }
  throw new ImageOptionError(
    modules === undefined ? 'kernel' : 'modules',
    `no modules.dep for kernel ${version} in ${where}: ${fix}`,
  );
}

/**
 * The kernel's `.config`: `/boot/config-<version>` next to a /boot kernel, `config-<version>` next
 * to the kernel file, the build tree's `.config` (`<modules>/build/.config`, or next to a
 * bzImage in `arch/x86/boot/`), or undefined.
 */
export async function findKernelConfig(
  kernel: string,
  version: string,
  modulesDir: string,
): Promise<string | undefined> {
  const candidates = [
    join(dirname(kernel), `config-${version}`),
    join('/boot', `config-${version}`),
    join(modulesDir, 'build', '.config'),
    join(dirname(kernel), '..', '..', '..', '.config'),
  ];
  for (const candidate of candidates) {
    if (await isFile(candidate)) return candidate;
  }
  return undefined;
}

/** Resolve the kernel an image is built for (see `bzImageVersion`, `findModules`). */
export async function resolveImageKernel(kernel: string, modules?: string): Promise<ImageKernel> {
  const version = await bzImageVersion(kernel);
  const modulesDir = await findModules(version, modules);
  const configPath = await findKernelConfig(kernel, version, modulesDir);
  return { path: kernel, version, modulesDir, configPath };
}
