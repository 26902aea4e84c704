/** `collectTests`: from an fstests checkout and a user's selection to the list of tests to run. */
import { resolve } from 'node:path';
import { ConfigError, EmptySelectionError, FstestsPathError } from '../errors.js';
import { scanCatalog } from './catalog.js';
import { readExcludeFileIfPresent } from './exclude-file.js';
import { assertSectionName } from './names.js';
import { type PickOptions, pickTests } from './select.js';

/** A selection as the user states it (flags or `[test_selection]`). */
export interface SelectionOptions extends PickOptions {
  /** `-E`: a file of tests to exclude, relative to `cwd`. Default: none. */
  readonly excludeTestsFile?: string;
  /** `-s`: sections to run. Several sections give one test per (section, test) pair. */
  readonly sections?: readonly string[];
  /** `-S`: sections passed to `./check -S`. */
  readonly excludeSections?: readonly string[];
  /** `-i N`: run every test N times. Default 1. */
  readonly iterate?: number;
  /** Base directory of relative paths. Default `process.cwd()`. */
  readonly cwd?: string;
  /** Stop scanning the fstests tree (reject with `signal.reason`) when this aborts. */
  readonly signal?: AbortSignal;
}

/** One test to run. */
export interface SelectedTest {
  /**
   * Unique id within the selection, a safe relative path:
   * `generic/001`; with several `-s` sections `<section>/generic/001`; with `-i N` the
   * iterations after the first get `~<n>` (`generic/001~2`, `xfs_4k/generic/001~3`).
   */
  readonly id: string;
  /** The name `./check` takes: `generic/001`. */
  readonly name: string;
  /** The `-s` section this test runs in, when one or more were given. */
  readonly section?: string;
  /** 1-based iteration (`-i`). */
  readonly iteration: number;
  /** The test's groups, from the catalog. */
  readonly groups: readonly string[];
}

/** The result of `collectTests`. */
export interface Selection {
  /**
   * One entry per (iteration, section, test), in that order. Collection never reorders: the
   * run's order (`-r`, slowest first) is decided by `orderTests` (see `planRun`).
   */
  readonly tests: readonly SelectedTest[];
  /** `-S` sections, for every test's `./check` command. */
  readonly excludeSections: readonly string[];
  /** Problems that did not stop the collection (a missing `-E` file), to show the user. */
  readonly warnings: readonly string[];
}

/**
 * Collect the tests of the fstests checkout at `fstestsDir` that `selection` asks for.
 * Throws `FstestsPathError`, `InvalidTestNameError`, `InvalidSectionError`,
 * `UnknownTestError`, `UnknownGroupError`, `ExcludeFileError` (an unreadable `-E` file; a
 * missing one is a warning, as in `./check`) or `EmptySelectionError` ("no tests to run"), all
 * before anything runs.
 */
export async function collectTests(
  fstestsDir: string | undefined,
  selection: SelectionOptions = {},
): Promise<Selection> {
  if (fstestsDir === undefined || fstestsDir === '') {
    throw new FstestsPathError(undefined, 'no fstests path: set `fstests` in config.toml');
  }
  const cwd = selection.cwd ?? process.cwd();
  const sections = (selection.sections ?? []).map(assertSectionName);
  const excludeSections = (selection.excludeSections ?? []).map(assertSectionName);
  const iterate = selection.iterate ?? 1;
  if (!Number.isInteger(iterate) || iterate < 1) {
    throw new ConfigError('selection', [
      { keyPath: 'test_selection.iterate', message: `expected an integer >= 1, got ${iterate}` },
    ]);
  }
  const catalog = await scanCatalog(resolve(cwd, fstestsDir), { signal: selection.signal });
  const warnings: string[] = [];
  const fromFile =
    selection.excludeTestsFile === undefined
      ? []
      : await readExcludeFileIfPresent(resolve(cwd, selection.excludeTestsFile), warnings);
  const excludeTests = [...(selection.excludeTests ?? []), ...fromFile].flatMap((e) =>
    e.split(/\s+/).filter((w) => w !== ''),
  );
  const picked = pickTests(catalog, { ...selection, excludeTests });
  if (picked.length === 0) throw new EmptySelectionError();

  const tests: SelectedTest[] = [];
  for (let iteration = 1; iteration <= iterate; iteration++) {
    const suffix = iteration === 1 ? '' : `~${iteration}`;
    for (const section of sections.length === 0 ? [undefined] : sections) {
      const prefix = section !== undefined && sections.length > 1 ? `${section}/` : '';
      for (const t of picked) {
        const id = `${prefix}${t.id}${suffix}`;
        const base = { id, name: t.id, iteration, groups: t.groups };
        tests.push(section === undefined ? base : { ...base, section });
      }
    }
  }
  return { tests, excludeSections, warnings };
}
