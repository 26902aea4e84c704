import { cp, lstat, mkdir, readdir, realpath } from 'node:fs/promises';
import path from 'node:path';
import type { CollectedArtifact } from '../supervisor.js';

/** Bytes of the regular files at `p` (recursively for a directory; links are not followed). */
async function sizeOf(p: string): Promise<number> {
  const info = await lstat(p);
  if (!info.isDirectory()) return info.isFile() ? info.size : 0;
  const entries = await readdir(p);
  const sizes = await Promise.all(entries.map((e) => sizeOf(path.join(p, e))));
  return sizes.reduce((a, b) => a + b, 0);
}

/** `p` with symbolic links resolved, or undefined when it does not exist. */
async function resolveExisting(p: string): Promise<string | undefined> {
  try {
    return await realpath(p);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw error;
  }
}

/**
 * Copy each of `paths` (relative ones resolved against `baseDir`) into `destDir` under its base
 * name: files as files, directories recursively. A path that is a symbolic link is followed;
 * links inside a directory are copied as links. Missing paths (and `/`) are skipped. Two paths with the same base name land in the same place, the
 * later one merged over the earlier. Checks `signal` between paths.
 */
export async function copyArtifacts(
  paths: readonly string[],
  destDir: string,
  baseDir: string,
  signal?: AbortSignal,
): Promise<CollectedArtifact[]> {
  const collected: CollectedArtifact[] = [];
  for (const remotePath of paths) {
    signal?.throwIfAborted();
    const resolved = path.resolve(baseDir, remotePath);
    const name = path.basename(resolved);
    const source = await resolveExisting(resolved);
    if (source === undefined || name === '') continue;
    await mkdir(destDir, { recursive: true });
    const localPath = path.join(destDir, name);
    await cp(source, localPath, { recursive: true, force: true });
    collected.push({ remotePath, localPath, bytes: await sizeOf(localPath) });
  }
  return collected;
}
