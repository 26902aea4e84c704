/**
 * `planRun`: from a validated configuration and the results history to everything a run needs
 * (the tests in their final order, the supervisors, the runner options) and the lines to show.
 */
import { resolve } from 'node:path';
import type { ResultsStore, RunnerOptions } from '@ff/parallelrunner';
import { type SelectedTest, collectTests } from '../collect/collect.js';
import type { Config } from '../config/schema.js';
import { FstestsPathError, NoSupervisorsError } from '../errors.js';
import { type FSTest, fsTestsFromSelection } from '../fstest.js';
import { type PlannedSupervisor, howToEnable } from './kinds.js';
import { orderTests } from './order.js';
import { pickFailures, rerunSelection } from './rerun.js';
import { batchingFromConfig, runnerOptionsFromConfig, selectionFromConfig } from './run-options.js';
import { planSupervisors } from './supervisors.js';

/** What a run reads from earlier runs; a `ResultsStore` gives both (see `storeHistory`). */
export interface RunHistory {
  /** Ids whose final status in SOURCE (undefined: the latest run) is `fail` or `error`. */
  failedTests(source?: string): Promise<readonly string[]>;
  /** Per-test durations (ms): of SOURCE's run, or the recent history when undefined. */
  durations(source?: string): Promise<ReadonlyMap<string, number>>;
}

/** A `ResultsStore` as the history of `planRun`. */
export function storeHistory(
  store: Pick<ResultsStore, 'failedTests' | 'durations' | 'runDurations'>,
): RunHistory {
  return {
    failedTests: (source) => store.failedTests(source),
    durations: async (source) =>
      source === undefined ? store.durations() : store.runDurations(source),
  };
}

/** Options of `planRun`. */
export interface PlanRunOptions {
  /** Directory relative paths in the configuration are resolved against. */
  readonly baseDir: string;
  /** Earlier runs: for `rerun_failures` and `slowest_first`. */
  readonly history: RunHistory;
  /** Where VM console logs go. Default `<results_dir>/consoles`. */
  readonly consoleDir?: string;
  /** Receives one-line notices of the supervisors (e.g. KVM not usable, TCG used). */
  readonly onNotice?: (message: string) => void;
}

/** The runner options of a plan: everything but the supervisors, tests, sink and signal. */
export type PlannedRunnerOptions = Omit<RunnerOptions, 'supervisors' | 'tests' | 'sink' | 'signal'>;

/** Everything a run needs. With `[test_selection] list`, only the selection is planned. */
export interface RunPlan {
  /** The selected tests in their final order. */
  readonly selected: readonly SelectedTest[];
  /** The same tests to hand to the runner (empty when listing). */
  readonly tests: readonly FSTest[];
  /** The supervisors to run on (empty when listing). */
  readonly supervisors: readonly PlannedSupervisor[];
  /** Runner options, the start deadline included (the longest planned supervisor's). */
  readonly runnerOptions: PlannedRunnerOptions;
  /** Known per-test durations (ms), e.g. for an ETA (empty when listing). */
  readonly durations: ReadonlyMap<string, number>;
  /** The seed of a random order. */
  readonly seed?: number;
  /** Problems that did not stop the plan (a missing `-E` file). */
  readonly warnings: readonly string[];
  /** Lines to show the user, in order: the seed, what reruns, how the tests were ordered. */
  readonly notes: readonly string[];
  /** Absolute paths of the fstests checkout, the results directory and the console logs. */
  readonly fstestsPath: string;
  readonly resultsDir: string;
  readonly consoleDir: string;
}

/** The runner waits at least this long for a supervisor to start (hosts included). */
export const MIN_START_TIMEOUT_MS = 60_000;

/**
 * Plan a run. Throws `FstestsPathError`, the collection errors, `NothingToRerunError`,
 * `NoSupervisorsError`, `ConfigError` (e.g. a VM kind without its kernel or key), all before
 * anything starts. Constructs the supervisors; never starts them.
 */
export async function planRun(config: Config, options: PlanRunOptions): Promise<RunPlan> {
  const { baseDir, history } = options;
  if (config.fstests === undefined || config.fstests === '') {
    throw new FstestsPathError(undefined, 'no fstests path: set `fstests` in config.toml');
  }
  const fstestsPath = resolve(baseDir, config.fstests);
  const resultsDir = resolve(baseDir, config.output.results_dir);
  const consoleDir = options.consoleDir ?? resolve(resultsDir, 'consoles');
  const s = config.test_selection;
  const rerun = s.rerun_failures;
  const failures =
    rerun === false
      ? undefined
      : {
          source: rerun === true ? 'the latest results' : rerun,
          ids: new Set(await history.failedTests(rerun === true ? undefined : rerun)),
        };
  const selectionOptions = selectionFromConfig(config, baseDir);
  const collected = await collectTests(
    fstestsPath,
    failures ? rerunSelection(selectionOptions) : selectionOptions,
  );
  const notes: string[] = [];
  const random = orderTests(collected.tests, {
    randomize: s.randomize,
    ...(s.seed === undefined ? {} : { seed: s.seed }),
  });
  notes.push(...random.notes);
  let selected = random.tests;
  if (failures) {
    const picked = pickFailures(selected, failures);
    selected = picked.tests;
    notes.push(...picked.notes);
  }
  const base = {
    selected,
    ...(random.seed === undefined ? {} : { seed: random.seed }),
    warnings: collected.warnings,
    fstestsPath,
    resultsDir,
    consoleDir,
  };
  const runnerOptions = runnerOptionsFromConfig(config, baseDir);
  if (s.list) {
    return { ...base, tests: [], supervisors: [], runnerOptions, durations: new Map(), notes };
  }

  const supervisors = planSupervisors(config, {
    baseDir,
    consoleDir,
    ...(options.onNotice === undefined ? {} : { onNotice: options.onNotice }),
  });
  if (supervisors.length === 0) {
    const how = howToEnable();
    throw new NoSupervisorsError(`set ${how.keys} in config.toml (or ${how.flags})`);
  }
  const slowest = s.slowest_first;
  const durations = await history.durations(typeof slowest === 'string' ? slowest : undefined);
  const ordered =
    random.seed === undefined
      ? orderTests(selected, { slowestFirst: slowest, durations, workers: supervisors.length })
      : { tests: selected, notes: [] };
  notes.push(...ordered.notes);
  const batching = batchingFromConfig(config, durations);
  if (batching) notes.push(batchNote(batching.targetMs ?? 0, durations, ordered.tests));
  const dirs = new Map(supervisors.map((p) => [p.supervisor.name, p.fstestsDir]));
  const tests = fsTestsFromSelection(
    { tests: ordered.tests, excludeSections: collected.excludeSections },
    { fstestsDir: (name) => dirs.get(name) ?? '/var/lib/xfstests' },
  );
  return {
    ...base,
    selected: ordered.tests,
    tests,
    supervisors,
    runnerOptions: {
      ...runnerOptions,
      startTimeoutMs: Math.max(MIN_START_TIMEOUT_MS, ...supervisors.map((p) => p.startTimeoutMs)),
      ...(batching ? { batching } : {}),
    },
    durations,
    notes,
  };
}

/** What `[test_runner] batch` will batch. */
function batchNote(
  targetMs: number,
  durations: ReadonlyMap<string, number>,
  tests: readonly { id: string }[],
): string {
  const known = tests.filter((t) => durations.has(t.id)).length;
  const target = Math.round(targetMs / 1000);
  return known === 0
    ? 'batches: none (no test has a duration history yet; each runs alone)'
    : `batches: up to ${target} s of tests known from history per ./check (${known} of ${tests.length}); --batch off runs one ./check per test`;
}
