import { execFile } from 'node:child_process';
import { access, mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { describeCause } from '@ff/parallelrunner';
import { findExecutable } from '../qemu/process-group.js';
import { ImageOptionError, ImageToolMissingError } from './errors.js';

/** A program the build runs on the host, and the Debian package that has it. */
interface Tool {
  readonly name: string;
  readonly debianPackage: string;
  readonly purpose: string;
}

const TOOLS: readonly Tool[] = [
  { name: 'mmdebstrap', debianPackage: 'mmdebstrap', purpose: 'builds the Debian root' },
  { name: 'mke2fs', debianPackage: 'e2fsprogs', purpose: 'writes the ext4 root disk image' },
  { name: 'unshare', debianPackage: 'util-linux', purpose: 'isolates the build mounts' },
  { name: 'tar', debianPackage: 'tar', purpose: 'copies fstests and the modules' },
  { name: 'ssh-keygen', debianPackage: 'openssh-client', purpose: 'makes the login key' },
];
const QEMU_IMG: Tool = {
  name: 'qemu-img',
  debianPackage: 'qemu-utils',
  purpose: 'converts the image to qcow2',
};
const NEWUIDMAP: Tool = {
  name: 'newuidmap',
  debianPackage: 'uidmap',
  purpose: 'lets mmdebstrap build without root in a user namespace',
};

/** Every program the build needs, missing ones first reported (one error per missing tool). */
export async function checkImageTools(format: 'raw' | 'qcow2'): Promise<void> {
  const tools = [...TOOLS];
  if (format === 'qcow2') tools.push(QEMU_IMG);
  if (process.getuid?.() !== 0) tools.push(NEWUIDMAP);
  // sbin directories hold mke2fs, and are not on every user's PATH.
  const env = { ...process.env, PATH: `${process.env.PATH ?? ''}:/usr/sbin:/sbin` };
  for (const tool of tools) {
    if ((await findExecutable(tool.name, process.cwd(), env)) === undefined) {
      throw new ImageToolMissingError(tool.name, tool.debianPackage, tool.purpose);
    }
  }
}

const run = promisify(execFile);

/** A login key pair: the private key `ff` uses, the public key authorised in the image. */
export interface LoginKey {
  readonly privateKey: string;
  readonly publicKey: string;
}

/**
 * The key `ff` logs in with: `sshKey` (its `.pub`, or the public key derived from it), or
 * `<cacheDir>/id_ed25519`, made on first use.
 */
export async function loginKey(sshKey: string | undefined, cacheDir: string): Promise<LoginKey> {
  const privateKey = sshKey ?? join(cacheDir, 'id_ed25519');
  const exists = await access(privateKey).then(
    () => true,
    () => false,
  );
  if (!exists) {
    if (sshKey !== undefined) {
      throw new ImageOptionError('ssh-key', `${sshKey} does not exist (give a private key file)`);
    }
    await mkdir(dirname(privateKey), { recursive: true });
    await run('ssh-keygen', [
      '-q',
      '-t',
      'ed25519',
      '-N',
      '',
      '-C',
      'fast-fstests',
      '-f',
      privateKey,
    ]);
  }
  const pub = await readFile(`${privateKey}.pub`, 'utf8').catch(() => undefined);
  if (pub !== undefined) return { privateKey, publicKey: pub.trim() };
  try {
    const { stdout } = await run('ssh-keygen', ['-y', '-P', '', '-f', privateKey]);
    return { privateKey, publicKey: stdout.trim() };
  } catch (error) {
    throw new ImageOptionError(
      'ssh-key',
      `cannot read the public key of ${privateKey} (an encrypted key needs its .pub next to it): ${describeCause(error)}`,
    );
  }
}
