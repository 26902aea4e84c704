import { randomBytes } from 'node:crypto';
import { rename, rm, symlink, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** A temporary name next to `path` (same directory, so a rename is atomic). */
export function tempPathFor(path: string): string {
  return join(
    dirname(path),
    `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`,
  );
}

/**
 * Write `data` to `path` atomically: write a temporary file in the same directory, then rename
 * it over `path`. Readers see the old or the new content, never a half-written file, even when
 * the process dies mid-write. (No fsync: this guards against crashes of the process, not of the
 * machine.)
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const temp = tempPathFor(path);
  try {
    await writeFile(temp, data, { mode: 0o644 });
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/** `writeFileAtomic` of `value` as indented JSON with a trailing newline. */
export async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`);
}

/** Point the symlink `path` at `target`, replacing any old link atomically (temp link + rename). */
export async function symlinkAtomic(target: string, path: string): Promise<void> {
  const temp = tempPathFor(path);
  await symlink(target, temp);
  try {
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
}
