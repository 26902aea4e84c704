import type { SelectedTest, SelectionOptions } from '@ff/fstests';
import { ResultsStore } from '@ff/parallelrunner';
import { UsageError } from '../exit-codes.js';
import { noResultsYet } from '../hints.js';
import { type CliIo, println } from '../io.js';

/** The failures `--rerun-failures [SOURCE]` reruns. */
export interface Failures {
  /** The source, as the user would name it (`the latest run`, a label). */
  readonly source: string;
  /** Ids whose final status there is `fail` or `error`. */
  readonly ids: ReadonlySet<string>;
}

/** Read the failures of SOURCE (`true`: the latest run) from the results directory. */
export async function loadFailures(resultsDir: string, source: true | string): Promise<Failures> {
  const store = await ResultsStore.open(resultsDir, { readOnly: true }).catch((error: unknown) => {
    throw noResultsYet(resultsDir, error, 'nothing to rerun');
  });
  const ids = new Set(await store.failedTests(source === true ? undefined : source));
  return { source: source === true ? 'the latest run' : source, ids };
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

/** The selected tests that failed in the source; says which failures are left out and why. */
export function pickFailures(
  tests: readonly SelectedTest[],
  failures: Failures,
  io: CliIo,
): SelectedTest[] {
  const picked = tests.filter((t) => failures.ids.has(t.id));
  const kept = new Set(picked.map((t) => t.id));
  const left = [...failures.ids].filter((id) => !kept.has(id)).sort();
  if (failures.ids.size === 0) {
    throw new UsageError(`nothing to rerun: ${failures.source} has no failed or errored test`);
  }
  println(
    io.stderr,
    `rerun: ${picked.length} of the ${failures.ids.size} failed or errored tests of ${failures.source}`,
  );
  if (left.length > 0) {
    println(io.stderr, `rerun: not in the selection, left out: ${left.join(' ')}`);
  }
  if (picked.length === 0) {
    throw new UsageError(`nothing to rerun: no failure of ${failures.source} is in the selection`);
  }
  return picked;
}
