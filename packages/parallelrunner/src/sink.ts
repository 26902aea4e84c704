import type { RunSummary } from './summary.js';
import type { AttemptInfo, FinalTestResult, Test, TestResult } from './test.js';

/**
 * Where the runner puts what attempts produce. A results store implements it; without one the
 * runner keeps only what `Test.evaluate` needs (the output tails) in memory.
 */
export interface ResultSink {
  /** Called when a run starts, before any supervisor starts. May throw to refuse the run. */
  beginRun?(info: RunInfo): Promise<void>;
  /** Called before every attempt. */
  beginAttempt(test: Test, ctx: AttemptInfo): Promise<AttemptRecorder>;
  /**
   * Called once per test as soon as its final result is known (after the recorder of its last
   * attempt finished), never for an attempt that is retried or rescheduled. The runner waits for
   * every call before `finishRun`. A rejection does not stop the run: it is reported once as a
   * process warning (`FF_SINK_ERROR`).
   */
  finishTest?(result: FinalTestResult): Promise<void>;
  /** Called once when the run is over (also when it was cancelled). */
  finishRun?(summary: RunSummary): Promise<void>;
}

/** Static facts about a run, for manifests. */
export interface RunInfo {
  /** Id of the run. */
  readonly runId: string;
  /** When the run started (ms since the epoch). */
  readonly startedAt: number;
  /** Ids of the run's tests, in the order given to the runner. */
  readonly testIds: readonly string[];
  /** Names of the run's supervisors, in the order given to the runner. */
  readonly supervisors: readonly string[];
}

/** Receives one attempt's output as it streams. */
export interface AttemptRecorder {
  /** Directory holding this attempt's files (reported as `TestResult.outputDir`). */
  readonly dir: string;
  /** Directory into which artifacts are collected. */
  readonly artifactsDir: string;
  /** Local file path for a trace named `name` (e.g. `dmesg`). */
  tracePath(name: string): string;
  /** Append a chunk of output. Must not hold the whole output in memory. */
  write(stream: 'stdout' | 'stderr', chunk: Buffer): void;
  /** Flush and close, storing the attempt's result. */
  finish(result: TestResult): Promise<void>;
}
