import { compareIds as byId } from '../schedule/schedule.js';
import type { RunSummary, SupervisorStats } from '../summary.js';
import type { AttemptOutcome, FinalTestResult, TestResult, TestStatus } from '../test.js';

/** One attempt in a `JsonReport`. */
export interface JsonReportAttempt {
  /** Unique id of the attempt (its directory name in a results store). */
  readonly attemptId: string;
  /** 1-based attempt number within the run. */
  readonly attempt: number;
  /** Status of the attempt (`pass`, `fail`, `skip`, `error`). */
  readonly status: TestStatus;
  /** Whether the attempt completed, crashed (its supervisor died) or was canceled. */
  readonly outcome: AttemptOutcome;
  /** One line for humans: why it was skipped, the first line of a failure, ... */
  readonly summary: string;
  /** Name of the supervisor the attempt ran on. */
  readonly supervisor: string;
  /** ISO 8601 start time. */
  readonly startedAt: string;
  /** Wall time of the command in milliseconds; 0 when it never ran. */
  readonly durationMs: number;
  /** Exit code of the command; `null` when it was ended by a signal or never ran. */
  readonly exitCode: number | null;
  /** Signal that ended the command (e.g. `SIGKILL`); `null` when none did. */
  readonly exitSignal: string | null;
  /** The per-test timeout expired and the command was killed. */
  readonly timedOut: boolean;
  /** The run was cancelled while the command ran. */
  readonly canceled: boolean;
  /** Directory with the attempt's stdout, stderr, traces and artifacts; `null` without a store. */
  readonly outputDir: string | null;
  /** Evidence of a supervisor crash (e.g. a kernel panic excerpt); `null` when none. */
  readonly crashEvidence: string | null;
}

/** One test in a `JsonReport`: its final attempt's fields plus every attempt. */
export interface JsonReportTest extends JsonReportAttempt {
  /** Test id. */
  readonly id: string;
  /** Attempts run again because the previous one failed. */
  readonly retries: number;
  /** Times the test went back to the queue because its supervisor died. */
  readonly reschedules: number;
  /** Passed only after a failed attempt. */
  readonly flaky: boolean;
  /** Every attempt in order, the final one last. */
  readonly attempts: readonly JsonReportAttempt[];
}

/** One supervisor in a `JsonReport`. */
export interface JsonReportSupervisor extends SupervisorStats {
  /** Message of the error that made it leave the run; `null` when none. */
  readonly error: string | null;
}

/**
 * The machine-readable report of one run (`version: 1`). Stable: fields are only added, never
 * renamed or removed, within a version. Times are ISO 8601 strings, durations milliseconds,
 * tests sorted by id, supervisors in run order. Absent values are `null`, never omitted.
 */
export interface JsonReport {
  /** Format version. */
  readonly version: 1;
  /** Id of the run. */
  readonly runId: string;
  /** ISO 8601 start time of the run. */
  readonly startedAt: string;
  /** ISO 8601 end time of the run. */
  readonly finishedAt: string;
  /** Wall time of the run. */
  readonly durationMs: number;
  /** The run was cancelled. */
  readonly canceled: boolean;
  /** Final results per status (unfinished tests are not counted). */
  readonly counts: Readonly<Record<TestStatus, number>>;
  /** Whatever the caller passed as `meta` (versions, command line, selection). */
  readonly meta: Readonly<Record<string, unknown>>;
  /** Every supervisor, in run order. */
  readonly supervisors: readonly JsonReportSupervisor[];
  /** Every test with a final result, sorted by id. */
  readonly tests: readonly JsonReportTest[];
  /** Ids of tests the run never finished, sorted. */
  readonly unfinished: readonly string[];
}

const iso = (ms: number) => new Date(ms).toISOString();

function attempt(a: TestResult): JsonReportAttempt {
  return {
    attemptId: a.attemptId,
    attempt: a.attempt,
    status: a.status,
    outcome: a.outcome,
    summary: a.summary,
    supervisor: a.supervisor,
    startedAt: iso(a.startedAt),
    durationMs: a.durationMs,
    exitCode: a.exitCode,
    exitSignal: a.exitSignal,
    timedOut: a.timedOut,
    canceled: a.canceled,
    outputDir: a.outputDir ?? null,
    crashEvidence: a.crashEvidence ?? null,
  };
}

function test(r: FinalTestResult): JsonReportTest {
  return {
    id: r.testId,
    ...attempt(r),
    retries: r.retries,
    reschedules: r.reschedules,
    flaky: r.flaky,
    attempts: r.attempts.map(attempt),
  };
}

/** Build the JSON report of a run; `meta` defaults to `{}`. Serialise with `JSON.stringify`. */
export function jsonReport(
  summary: RunSummary,
  meta: Readonly<Record<string, unknown>> = {},
): JsonReport {
  return {
    version: 1,
    runId: summary.runId,
    startedAt: iso(summary.startedAt),
    finishedAt: iso(summary.finishedAt),
    durationMs: summary.finishedAt - summary.startedAt,
    canceled: summary.canceled,
    counts: { ...summary.counts },
    meta,
    supervisors: summary.supervisors.map((s) => ({
      name: s.name,
      started: s.started,
      deaths: s.deaths,
      restarts: s.restarts,
      attempts: s.attempts,
      busyMs: s.busyMs,
      wallMs: s.wallMs,
      error: s.error?.message ?? null,
    })),
    tests: [...summary.results].sort((a, b) => byId(a.testId, b.testId)).map(test),
    unfinished: [...summary.unfinished].sort(byId),
  };
}
