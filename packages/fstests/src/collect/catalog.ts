/** Scanning an fstests checkout: every test of every `tests/<dir>/` with its groups. */
import type { Dirent } from 'node:fs';
import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { FstestsPathError } from '../errors.js';
import { parseGroupList, readTestGroups } from './groups.js';
import { compareTestNames, isTestDirName, isTestFileName } from './names.js';

/** One test of the tree. */
export interface CatalogTest {
  /** `generic/001`: what `./check` takes. */
  readonly id: string;
  readonly dir: string;
  /** The file name inside the directory: `001`, `001-some-name`. */
  readonly name: string;
  readonly groups: readonly string[];
}

/** Every test of an fstests tree, sorted by directory then number. */
export interface Catalog {
  readonly fstestsDir: string;
  /** Test directories, sorted. */
  readonly dirs: readonly string[];
  readonly tests: readonly CatalogTest[];
  readonly byId: ReadonlyMap<string, CatalogTest>;
}

/** Options of `scanCatalog`. */
export interface ScanOptions {
  readonly signal?: AbortSignal;
}

/** How many test files are read at once. */
const READ_CONCURRENCY = 64;

/**
 * Scan `<fstestsDir>/tests/`. Groups come from `tests/<dir>/group.list` when it exists and is
 * at least as new as every test file of that directory, otherwise from each file's
 * `_begin_fstest` line. No subprocess is run.
 */
export async function scanCatalog(fstestsDir: string, options: ScanOptions = {}): Promise<Catalog> {
  const testsDir = join(fstestsDir, 'tests');
  let entries: Dirent[];
  try {
    entries = await readdir(testsDir, { withFileTypes: true });
  } catch (cause) {
    throw new FstestsPathError(fstestsDir, 'not an fstests tree (cannot read tests/)', { cause });
  }
  const allDirs = entries
    .filter((e) => e.isDirectory() && isTestDirName(e.name))
    .map((e) => e.name)
    .sort();
  const perDir = await Promise.all(
    allDirs.map((dir) => scanDir(join(testsDir, dir), dir, options.signal)),
  );
  const tests = perDir.flat();
  return { fstestsDir, dirs: allDirs, tests, byId: new Map(tests.map((t) => [t.id, t])) };
}

async function scanDir(
  path: string,
  dir: string,
  signal: AbortSignal | undefined,
): Promise<CatalogTest[]> {
  signal?.throwIfAborted();
  const entries = await readdir(path, { withFileTypes: true });
  const names = entries
    .filter((e) => (e.isFile() || e.isSymbolicLink()) && isTestFileName(e.name))
    .map((e) => e.name)
    .sort(compareTestNames);
  const fromList = await freshGroupList(path, names, entries);
  const groups = await mapLimited(names, READ_CONCURRENCY, signal, async (name) => {
    return fromList?.get(name) ?? (await readTestGroups(join(path, name)));
  });
  return names.map((name, i) => ({ id: `${dir}/${name}`, dir, name, groups: groups[i] ?? [] }));
}

/** The parsed `group.list` when present and not older than any test file, else undefined. */
async function freshGroupList(
  path: string,
  names: readonly string[],
  entries: readonly Dirent[],
): Promise<Map<string, string[]> | undefined> {
  if (!entries.some((e) => e.name === 'group.list')) return undefined;
  const listPath = join(path, 'group.list');
  const listStat = await stat(listPath);
  const times = await Promise.all(names.map(async (n) => (await stat(join(path, n))).mtimeMs));
  if (times.some((t) => t > listStat.mtimeMs)) return undefined;
  return parseGroupList(await readFile(listPath, 'utf8'));
}

/** Map with at most `limit` calls in flight, checking `signal` between items. */
async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  signal: AbortSignal | undefined,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const out: R[] = new Array(items.length);
  // One iterator shared by every worker: each item is taken exactly once.
  const iterator = items.entries();
  const worker = async () => {
    for (const [index, item] of iterator) {
      signal?.throwIfAborted();
      out[index] = await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
