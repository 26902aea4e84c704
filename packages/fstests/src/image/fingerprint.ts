import { createHash } from 'node:crypto';
import { lstat, readFile, readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';

/** Directories of an fstests checkout that are not sources: git's, and the test results. */
export const TREE_EXCLUDES: readonly string[] = ['.git', 'results'];

/** What `hashTree` reads of each regular file. */
export type TreeHashMode =
  /** Its content: the same files hash the same wherever they are, whatever their timestamps. */
  | 'content'
  /** Only its size and modification time (cheap, for large trees such as a kernel's modules). */
  | 'listing';

/**
 * A SHA-256 over every file of the tree at `root` (relative path, executable bit, and content or
 * size and mtime; symlinks by their target), in a fixed order, leaving out the top-level
 * `excludes`.
 */
export async function hashTree(
  root: string,
  options: { readonly excludes?: readonly string[]; readonly mode?: TreeHashMode } = {},
): Promise<string> {
  const excludes = options.excludes ?? TREE_EXCLUDES;
  const mode = options.mode ?? 'content';
  const hash = createHash('sha256');
  const walk = async (rel: string): Promise<void> => {
    const names = (await readdir(join(root, rel))).sort();
    for (const name of names) {
      const path = rel === '' ? name : `${rel}/${name}`;
      if (rel === '' && excludes.includes(name)) continue;
      const full = join(root, path);
      const info = await lstat(full);
      if (info.isDirectory()) {
        hash.update(`d ${path}\0`);
        await walk(path);
      } else if (info.isSymbolicLink()) {
        hash.update(`l ${path}\0${await readlink(full)}\0`);
      } else if (info.isFile()) {
        const x = info.mode & 0o111 ? 'x' : '-';
        if (mode === 'listing') {
          hash.update(`f ${path} ${x} ${info.size} ${info.mtimeMs}\0`);
        } else {
          const content = await readFile(full);
          hash.update(`f ${path} ${x} ${content.length}\0`);
          hash.update(content);
        }
      }
    }
  };
  await walk('');
  return hash.digest('hex');
}

/** A SHA-256 of `parts` (strings, in order, each delimited), as hex. */
export function hashParts(parts: readonly string[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(`${part.length}:${part}\0`);
  return hash.digest('hex');
}
