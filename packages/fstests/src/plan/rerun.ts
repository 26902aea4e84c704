/** `--rerun-failures [SOURCE]`: which tests rerun. */
import type { SelectedTest, SelectionOptions } from '../collect/collect.js';
import { NothingToRerunError } from '../errors.js';

/** The failures of a source, as the user would name it. */
export interface Failures {
  /** `the latest run`, or the SOURCE as given. */
  readonly source: string;
  /** Ids whose final status there is `fail` or `error`. */
  readonly ids: ReadonlySet<string>;
}

/**
 * The selection a rerun collects from: the user's, or when it names neither tests nor groups,
 * every test (not the default `auto`), so that exactly the failures of the source rerun.
 * Exclusions still apply.
 */
export function rerunSelection(options: SelectionOptions): SelectionOptions {
  const explicit = (options.tests?.length ?? 0) > 0 || (options.groups?.length ?? 0) > 0;
  return explicit ? options : { ...options, groups: ['all'] };
}

/** The selected tests that failed in the source, and lines saying which are left out. */
export function pickFailures(
  tests: readonly SelectedTest[],
  failures: Failures,
): { tests: SelectedTest[]; notes: string[] } {
  if (failures.ids.size === 0) {
    throw new NothingToRerunError(`${failures.source} has no failed or errored test`);
  }
  const picked = tests.filter((t) => failures.ids.has(t.id));
  const kept = new Set(picked.map((t) => t.id));
  const left = [...failures.ids].filter((id) => !kept.has(id)).sort();
  const notes = [
    `rerun: ${picked.length} of the ${failures.ids.size} failed or errored tests of ${failures.source}`,
  ];
  if (left.length > 0) notes.push(`rerun: not in the selection, left out: ${left.join(' ')}`);
  if (picked.length === 0) {
    throw new NothingToRerunError(
      `no failure of ${failures.source} is in the selection (left out: ${left.join(' ')})`,
    );
  }
  return { tests: picked, notes };
}
