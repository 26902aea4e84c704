/** Scanning an fstests checkout: every test of every `tests/<dir>/` with its groups. */
import { type Dirent, statSync } from 'node:fs';
import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { FstestsPathError } from '../errors.js';
import { HEAD_BYTES, parseGroupList, readTestGroupsSync } from './groups.js';
import { compareTestNames, isTestDirName, isTestFileName } from './names.js';

/** One test of the tree. */
export interface CatalogTest {
  /** `generic/001`: what `./check` takes. */
  readonly id: string;
  /** The directory under `tests/`: `generic`, `xfs`, ... */
  readonly dir: string;
  /** The file name inside the directory: `001`, `001-some-name`. */
  readonly name: string;
  /** Its groups (`auto`, `quick`, ...), from `group.list` or its `_begin_fstest` line. */
  readonly groups: readonly string[];
}

/** Every test of an fstests tree, sorted by directory then number. */
export interface Catalog {
  /** The fstests checkout that was scanned. */
  readonly fstestsDir: string;
  /** Test directories, sorted. */
  readonly dirs: readonly string[];
  /** Every test, by directory then number. */
  readonly tests: readonly CatalogTest[];
  /** The tests by id (`generic/001`). */
  readonly byId: ReadonlyMap<string, CatalogTest>;
}

/** Options of `scanCatalog`. */
export interface ScanOptions {
  /** Stop scanning (reject with `signal.reason`) when this aborts. */
  readonly signal?: AbortSignal;
}

/** How many test files are read between yields to the event loop (and abort checks). */
const BATCH = 256;

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
  const head = Buffer.alloc(HEAD_BYTES);
  const tests: CatalogTest[] = [];
  for (const [i, name] of names.entries()) {
    if (i % BATCH === BATCH - 1) await yieldTo(signal);
    const groups = fromList?.get(name) ?? readTestGroupsSync(join(path, name), head);
    tests.push({ id: `${dir}/${name}`, dir, name, groups });
  }
  return tests;
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
  if (names.some((n) => statSync(join(path, n)).mtimeMs > listStat.mtimeMs)) return undefined;
  return parseGroupList(await readFile(listPath, 'utf8'));
}

/** Let other work run, then throw if `signal` aborted meanwhile. */
function yieldTo(signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    setImmediate(() => {
      if (signal?.aborted) reject(signal.reason);
      else resolve();
    });
  });
}
