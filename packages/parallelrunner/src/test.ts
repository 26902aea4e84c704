import type { CollectedArtifact, ExecResult, Supervisor } from './supervisor.js';

/** Final status of one attempt of a test. */
export type TestStatus = 'pass' | 'fail' | 'skip' | 'error';

/** A command for a supervisor to run. */
export interface CommandSpec {
  /** Shell command line (run with `sh -c` by shell-based supervisors). Quote every argument. */
  readonly command: string;
  /** Working directory on the supervisor. Default: the supervisor's own. */
  readonly cwd?: string;
  /** Extra environment variables. */
  readonly env?: Readonly<Record<string, string>>;
}

/**
 * What a test is told about the attempt it is about to make. `S` is the supervisor type of the
 * run (`Runner<S>`), so a suite can read what its supervisors declare (`ctx.host.fstestsDir`).
 */
export interface AttemptContext<S extends Supervisor = Supervisor> extends AttemptInfo {
  /** The supervisor the attempt runs on. */
  readonly host: S;
}

/** The identity of one attempt: what a results sink files it under. */
export interface AttemptInfo {
  /** Unique id of this attempt (also its directory name in a results store). */
  readonly attemptId: string;
  /** 1 for the first attempt of the test in this run, 2 for the next, ... */
  readonly attempt: number;
  /** Name of the supervisor the attempt runs on. */
  readonly supervisor: string;
}

/**
 * A finished command: its `ExecResult` and captured output, handed to `Test.evaluate` after the
 * test's artifacts were collected.
 */
export interface CompletedRun<S extends Supervisor = Supervisor> extends ExecResult {
  /** The captured stdout (its last `outputTailBytes` bytes when it was longer). */
  readonly stdout: string;
  /** The captured stderr (its last `outputTailBytes` bytes when it was longer). */
  readonly stderr: string;
  /** `stdout` or `stderr` was cut to its tail. */
  readonly outputTruncated: boolean;
  /** The attempt this run belongs to (as passed to `command`). */
  readonly context: AttemptContext<S>;
  /**
   * The artifacts collected for this attempt (`Test.artifacts`), with their local paths: a suite
   * can read a report its command wrote (a JUnit file, a result file). Empty without a results
   * store (nowhere to collect to) or when none were found.
   */
  readonly artifacts: readonly CollectedArtifact[];
}

/** What a test concludes from a finished run. */
export interface Verdict {
  /** The test's status for this attempt. */
  readonly status: TestStatus;
  /** One line, for humans: the reason for a skip, the first line of a failure. */
  readonly summary: string;
}

/**
 * A named unit of work. Immutable: the runner may run it several times (retries, reschedules
 * after a crash), each time with a fresh attempt id.
 */
export interface Test<S extends Supervisor = Supervisor> {
  /**
   * Unique, non-empty id within a run, in any characters (`generic/001`, `math > adds 1+1`,
   * `test_parse[utf-8]`). A results store files it under `testPath(id)`: safe `/`-separated
   * names stay readable paths, other characters are escaped.
   */
  readonly id: string;
  /** Per-test timeout in milliseconds; overrides the runner's `testTimeoutMs`. */
  readonly timeoutMs?: number;
  /** The command for one attempt. */
  command(ctx: AttemptContext<S>): CommandSpec;
  /**
   * Classify a finished run, after its artifacts were collected; may be async (read a file the
   * command produced). A throw or a rejection records the attempt as `error`; a cancelled run
   * stops waiting for it.
   */
  evaluate(run: CompletedRun<S>): Verdict | Promise<Verdict>;
  /** Paths (on the supervisor) to collect after the attempt, e.g. logs the test wrote. */
  artifacts?(ctx: AttemptContext<S>): readonly string[];
}

/** Why an attempt did not produce a normal verdict. */
export type AttemptOutcome =
  /** The command ran to completion (or timed out) and the test evaluated it. */
  | 'completed'
  /** The supervisor died during the attempt; the test was put back in the queue. */
  | 'crashed'
  /** The run was cancelled during the attempt. */
  | 'canceled';

/** The record of one attempt. */
export interface TestResult {
  /** Id of the test (`Test.id`). */
  readonly testId: string;
  /** Unique id of this attempt (`AttemptContext.attemptId`). */
  readonly attemptId: string;
  /** 1-based attempt number within the run. */
  readonly attempt: number;
  /** Status of the attempt: the verdict's, or `error` when it did not complete normally. */
  readonly status: TestStatus;
  /** One line for humans: the verdict's summary, or why the attempt failed to complete. */
  readonly summary: string;
  /** Whether the attempt completed, crashed (its supervisor died) or was canceled. */
  readonly outcome: AttemptOutcome;
  /** Name of the supervisor the attempt ran on. */
  readonly supervisor: string;
  /** Start time (ms since the epoch). */
  readonly startedAt: number;
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
  /** Where the attempt's output and artifacts were stored, when a results store is used. */
  readonly outputDir?: string;
  /** Evidence of a crash (e.g. a console excerpt with the kernel panic). */
  readonly crashEvidence?: string;
}

/** The final word on one test of a run: its last attempt plus what happened before. */
export interface FinalTestResult extends TestResult {
  /** Every attempt of the test in this run, in order, including crashed ones. */
  readonly attempts: readonly TestResult[];
  /** Number of attempts that ran again because the previous one failed. */
  readonly retries: number;
  /** Number of times the test was put back in the queue because its supervisor died. */
  readonly reschedules: number;
  /** It passed only after a failed attempt. */
  readonly flaky: boolean;
}
