/** Applying a user's selection (tests, groups, exclusions, file system) to a scanned catalog. */
import { UnknownGroupError, UnknownTestError } from '../errors.js';
import { closestMatches } from '../util/similar.js';
import type { Catalog, CatalogTest } from './catalog.js';
import { globToRegExp, parseTestPattern } from './names.js';

/** What to pick from a catalog (already split and validated by the caller where noted). */
export interface PickOptions {
  /** Positional tests, globs allowed (`generic/0*`, `btrfs/*`). */
  readonly tests?: readonly string[];
  /** `-g`: groups, each entry may be a comma list; `dir/group` and `all` allowed. */
  readonly groups?: readonly string[];
  /** `-x`: groups to exclude (same forms as `groups`). */
  readonly excludeGroups?: readonly string[];
  /** `-e` and `-E` entries: tests (globs allowed) to exclude. */
  readonly excludeTests?: readonly string[];
  /** Restrict groups to `generic` plus this file system's directory (ext2/ext3 use ext4). */
  readonly fileSystem?: string;
}

/** The group run when neither tests nor groups are given (as `./check` does). */
export const DEFAULT_GROUP = 'auto';

/** The test directories `./check` uses for `fileSystem`, or all of them when it is undefined. */
export function directoriesFor(catalog: Catalog, fileSystem: string | undefined): string[] {
  if (fileSystem === undefined) return [...catalog.dirs];
  const fsDir = fileSystem === 'ext2' || fileSystem === 'ext3' ? 'ext4' : fileSystem;
  return catalog.dirs.filter((d) => d === 'generic' || d === fsDir);
}

/**
 * Pick tests from `catalog`, in catalog order, without duplicates. Throws `UnknownTestError`
 * for a test or glob that matches nothing and `UnknownGroupError` for a group with no test.
 */
export function pickTests(catalog: Catalog, options: PickOptions): CatalogTest[] {
  const dirs = new Set(directoriesFor(catalog, options.fileSystem));
  const tests = options.tests ?? [];
  const groups = splitGroups(options.groups ?? []);
  const chosen = new Set<CatalogTest>();
  for (const pattern of tests) for (const t of matchTests(catalog, pattern)) chosen.add(t);
  const groupList = tests.length === 0 && groups.length === 0 ? [DEFAULT_GROUP] : groups;
  const inDirs = catalog.tests.filter((t) => dirs.has(t.dir));
  for (const group of groupList) for (const t of matchGroup(catalog, inDirs, group)) chosen.add(t);

  const excluded = new Set<CatalogTest>();
  for (const group of splitGroups(options.excludeGroups ?? [])) {
    for (const t of matchGroup(catalog, catalog.tests, group)) excluded.add(t);
  }
  for (const pattern of options.excludeTests ?? []) {
    const { dir, name } = parseTestPattern(pattern);
    const dirRe = globToRegExp(dir);
    const nameRe = globToRegExp(name);
    for (const t of chosen) if (dirRe.test(t.dir) && nameRe.test(t.name)) excluded.add(t);
  }
  return catalog.tests.filter((t) => chosen.has(t) && !excluded.has(t));
}

/** Split `-g a,b` entries into single groups. */
export function splitGroups(entries: readonly string[]): string[] {
  return entries
    .flatMap((e) => e.split(','))
    .map((g) => g.trim())
    .filter((g) => g !== '');
}

function matchTests(catalog: Catalog, input: string): CatalogTest[] {
  const pattern = parseTestPattern(input);
  if (!pattern.isGlob) {
    const test = catalog.byId.get(pattern.text);
    if (test) return [test];
    throw new UnknownTestError(input, closestMatches(pattern.text, catalog.byId.keys()));
  }
  const dirRe = globToRegExp(pattern.dir);
  const nameRe = globToRegExp(pattern.name);
  const found = catalog.tests.filter((t) => dirRe.test(t.dir) && nameRe.test(t.name));
  if (found.length === 0) throw new UnknownTestError(input, []);
  return found;
}

function matchGroup(catalog: Catalog, scope: readonly CatalogTest[], spec: string): CatalogTest[] {
  const slash = spec.indexOf('/');
  const dir = slash === -1 ? undefined : spec.slice(0, slash);
  const group = slash === -1 ? spec : spec.slice(slash + 1);
  const inScope = dir === undefined ? scope : catalog.tests.filter((t) => t.dir === dir);
  const found = group === 'all' ? [...inScope] : inScope.filter((t) => t.groups.includes(group));
  if (found.length > 0) return found;
  const near = closestMatches(spec, groupNames(catalog, scope, dir));
  throw new UnknownGroupError(spec, near, knownGroups(catalog, scope, dir, group));
}

function groupNames(
  catalog: Catalog,
  scope: readonly CatalogTest[],
  dir: string | undefined,
): string[] {
  const names = new Set<string>(['all']);
  if (dir === undefined) {
    for (const t of scope) for (const g of t.groups) names.add(g);
    return [...names];
  }
  for (const t of catalog.tests) for (const g of t.groups) names.add(`${t.dir}/${g}`);
  return [...names];
}

/**
 * The groups to list for an unknown group: those in scope; for `dir/group`, the groups of
 * that directory, or where `dir` does not exist, `group` (else `all`) in the directories that do.
 */
function knownGroups(
  catalog: Catalog,
  scope: readonly CatalogTest[],
  dir: string | undefined,
  group: string,
): string[] {
  const sorted = (names: Iterable<string>) => [...new Set(names)].sort();
  if (dir === undefined) return sorted(['all', ...scope.flatMap((t) => t.groups)]);
  const inDir = catalog.tests.filter((t) => t.dir === dir);
  if (inDir.length > 0) {
    return sorted(['all', ...inDir.flatMap((t) => t.groups)].map((g) => `${dir}/${g}`));
  }
  const having = catalog.dirs.filter((d) =>
    catalog.tests.some((t) => t.dir === d && t.groups.includes(group)),
  );
  return having.length > 0
    ? having.map((d) => `${d}/${group}`)
    : catalog.dirs.map((d) => `${d}/all`);
}
