import { generateKeyPairSync } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { ApplianceInfo } from '../../src/qemu/appliance.js';

const packageDir = resolve(import.meta.dirname, '../..');

/** The stand-in mkosi executable and its substitute vsock proxy. */
export const standinMkosi = join(packageDir, 'test/fixtures/mkosi/mkosi');
export const standinSocat = join(packageDir, 'test/fixtures/mkosi/socat');

/**
 * Make an mkosi config directory for the stand-in: `mkosi.standin.env` naming the appliance's
 * kernel and initrd, and a fresh `mkosi.key` in PKCS#8, as `mkosi genkey` writes it.
 */
export async function makeConfigDir(dir: string, app: ApplianceInfo): Promise<string> {
  await mkdir(dir, { recursive: true });
  const q = (s: string) => `'${s.replaceAll("'", "'\\''")}'`;
  await writeFile(
    join(dir, 'mkosi.standin.env'),
    `FF_MKOSI_KERNEL=${q(app.kernel)}\nFF_MKOSI_INITRD=${q(app.initrd)}\nFF_MKOSI_APPEND=${q(app.append)}\n`,
  );
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  await writeFile(join(dir, 'mkosi.key'), privateKey.export({ type: 'pkcs8', format: 'pem' }), {
    mode: 0o600,
  });
  return dir;
}

/** True while a process group led by `pid` has members. */
export function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

export { processesMatching } from '../support/processes.js';
