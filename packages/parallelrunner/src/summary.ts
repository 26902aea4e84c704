import type { FinalTestResult, TestStatus } from './test.js';

/**
 * One supervisor's statistics for a run: the fields shared by `SupervisorReport`, the summary
 * data, the JSON report and the run manifest.
 */
export interface SupervisorStats {
  /** The supervisor's name. */
  readonly name: string;
  /** It was ready at least once. */
  readonly started: boolean;
  /** Times it died (a crash, a lost connection, failed probes), whether or not it came back. */
  readonly deaths: number;
  /** Times it was restarted successfully after dying. */
  readonly restarts: number;
  /** Milliseconds spent running tests. */
  readonly busyMs: number;
  /** Milliseconds from the start of the run until it stopped serving. */
  readonly wallMs: number;
  /** Attempts it ran (including crashed ones). */
  readonly attempts: number;
}

/** What happened to one supervisor during a run. */
export interface SupervisorReport extends SupervisorStats {
  /** The error that made it leave the run, if it did. */
  readonly error?: Error;
}

/** The outcome of `Runner.run`. */
export interface RunSummary {
  /** Id of the run (`RunnerOptions.runId`, or generated from the start time). */
  readonly runId: string;
  /** When the run started (ms since the epoch, from the runner's clock). */
  readonly startedAt: number;
  /** When the run finished (ms since the epoch, from the runner's clock). */
  readonly finishedAt: number;
  /** One final result per test that finished, in finishing order. */
  readonly results: readonly FinalTestResult[];
  /** Tests that never finished because the run was cancelled or every supervisor left. */
  readonly unfinished: readonly string[];
  /** One report per supervisor, in the order they were given. */
  readonly supervisors: readonly SupervisorReport[];
  /** Number of final results per status. */
  readonly counts: Readonly<Record<TestStatus, number>>;
  /** The run was cancelled through its signal. */
  readonly canceled: boolean;
}

/** Count results per status. */
export function countStatuses(
  results: readonly { readonly status: TestStatus }[],
): Record<TestStatus, number> {
  const counts: Record<TestStatus, number> = { pass: 0, fail: 0, skip: 0, error: 0 };
  for (const r of results) counts[r.status]++;
  return counts;
}
