import { compareIds as byId } from '../schedule/schedule.js';
import type { RunSummary, SupervisorStats } from '../summary.js';
import type { FinalTestResult, TestStatus } from '../test.js';

/** Default upper bounds (ms) of the duration histogram: <1s, 1-5s, 5-30s, 30s-2m, 2-10m, >10m. */
export const DEFAULT_HISTOGRAM_BOUNDS: readonly number[] = [1000, 5000, 30_000, 120_000, 600_000];

/** Options of `summaryData`. */
export interface SummaryDataOptions {
  /** How many of the slowest tests to list. Default 10. */
  readonly slowest?: number;
  /** Ascending upper bounds (ms) of the histogram buckets. Default `DEFAULT_HISTOGRAM_BOUNDS`. */
  readonly histogramBuckets?: readonly number[];
}

/** One bucket of the duration histogram: `minMs <= duration < maxMs` (`maxMs` null = open). */
export interface HistogramBucket {
  /** Human label such as `<1s`, `5s-30s` or `>10m`. */
  readonly label: string;
  /** Inclusive lower bound in milliseconds. */
  readonly minMs: number;
  /** Exclusive upper bound in milliseconds; `null` for the last, open bucket. */
  readonly maxMs: number | null;
  /** Number of tests whose final duration falls in the bucket. */
  readonly count: number;
}

/** One supervisor's share of the run. */
export interface SupervisorUtilisation extends SupervisorStats {
  /** busyMs / wallMs, 0..1; `null` when wallMs is 0. */
  readonly utilisation: number | null;
  /** Message of the error that made it leave the run; `null` when none. */
  readonly error: string | null;
}

/** Everything a CLI summary shows, as plain data (the CLI renders it with cli-table3). */
export interface SummaryData {
  /** Final results per status. */
  readonly counts: Readonly<Record<TestStatus, number>>;
  /** Tests with a final result. */
  readonly total: number;
  /** Ids of tests that never finished, sorted. */
  readonly unfinished: readonly string[];
  /** Failed and errored tests, sorted by id. */
  readonly failures: readonly { id: string; status: TestStatus; summary: string }[];
  /** The failed and errored ids joined by spaces, to paste into a command line. */
  readonly failureList: string;
  /** Slowest tests, longest first (ties by id). */
  readonly slowest: readonly { id: string; durationMs: number; status: TestStatus }[];
  /** Final durations per bucket, in ascending order of bucket. */
  readonly histogram: readonly HistogramBucket[];
  /** Every supervisor, in run order. */
  readonly supervisors: readonly SupervisorUtilisation[];
  /** Tests put back in the queue because their supervisor died, with how often; by id. */
  readonly crashReschedules: readonly { id: string; count: number }[];
  /** Tests retried after a failure, with how often; by id. */
  readonly retries: readonly { id: string; count: number }[];
  /** Ids of tests that passed only after a failed attempt, sorted. */
  readonly flaky: readonly string[];
  /** Wall time of the run. */
  readonly totalMs: number;
  /** Sum of every attempt's duration (what one runner would have needed). */
  readonly testTimeMs: number;
  /** The run was cancelled. */
  readonly canceled: boolean;
}

function human(ms: number): string {
  if (ms < 60_000 || ms % 60_000 !== 0) return `${ms / 1000}s`;
  return `${ms / 60_000}m`;
}

function histogram(
  results: readonly FinalTestResult[],
  bounds: readonly number[],
): HistogramBucket[] {
  const buckets: HistogramBucket[] = [];
  let min = 0;
  for (const [i, max] of [...bounds, null].entries()) {
    const label =
      max === null ? `>${human(min)}` : i === 0 ? `<${human(max)}` : `${human(min)}-${human(max)}`;
    const lo = min;
    const count = results.filter(
      (r) => r.durationMs >= lo && (max === null || r.durationMs < max),
    ).length;
    buckets.push({ label, minMs: lo, maxMs: max, count });
    if (max !== null) min = max;
  }
  return buckets;
}

/** Summarise a run for display: counts, failures, slowest, histogram, utilisation, crashes. */
export function summaryData(summary: RunSummary, options: SummaryDataOptions = {}): SummaryData {
  const results = [...summary.results].sort((a, b) => byId(a.testId, b.testId));
  const failures = results
    .filter((r) => r.status === 'fail' || r.status === 'error')
    .map((r) => ({ id: r.testId, status: r.status, summary: r.summary }));
  const slowest = [...results]
    .sort((a, b) => b.durationMs - a.durationMs || byId(a.testId, b.testId))
    .slice(0, options.slowest ?? 10)
    .map((r) => ({ id: r.testId, durationMs: r.durationMs, status: r.status }));
  return {
    counts: { ...summary.counts },
    total: results.length,
    unfinished: [...summary.unfinished].sort(byId),
    failures,
    failureList: failures.map((f) => f.id).join(' '),
    slowest,
    histogram: histogram(results, options.histogramBuckets ?? DEFAULT_HISTOGRAM_BOUNDS),
    supervisors: summary.supervisors.map((s) => ({
      name: s.name,
      started: s.started,
      attempts: s.attempts,
      deaths: s.deaths,
      restarts: s.restarts,
      busyMs: s.busyMs,
      wallMs: s.wallMs,
      utilisation: s.wallMs > 0 ? s.busyMs / s.wallMs : null,
      error: s.error?.message ?? null,
    })),
    crashReschedules: results
      .filter((r) => r.reschedules > 0)
      .map((r) => ({ id: r.testId, count: r.reschedules })),
    retries: results.filter((r) => r.retries > 0).map((r) => ({ id: r.testId, count: r.retries })),
    flaky: results.filter((r) => r.flaky).map((r) => r.testId),
    totalMs: summary.finishedAt - summary.startedAt,
    testTimeMs: results.reduce(
      (sum, r) => sum + r.attempts.reduce((s, a) => s + a.durationMs, 0),
      0,
    ),
    canceled: summary.canceled,
  };
}
