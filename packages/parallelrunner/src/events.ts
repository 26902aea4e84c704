import type { RunSummary } from './summary.js';
import type { FinalTestResult, TestResult } from './test.js';

/** Everything the runner reports while it works. Reporters subscribe with `Runner.on`. */
export type RunnerEvent =
  | { readonly type: 'supervisor:starting'; readonly supervisor: string; readonly restart: boolean }
  | { readonly type: 'supervisor:ready'; readonly supervisor: string; readonly startupMs: number }
  /** The supervisor failed to start (or restart) and left the run. */
  | { readonly type: 'supervisor:failed'; readonly supervisor: string; readonly error: Error }
  /** The supervisor died; `testId` is the test it was running, if any. */
  | {
      readonly type: 'supervisor:died';
      readonly supervisor: string;
      readonly reason: string;
      readonly testId?: string;
    }
  | {
      readonly type: 'supervisor:restarted';
      readonly supervisor: string;
      readonly restarts: number;
    }
  | { readonly type: 'supervisor:stopped'; readonly supervisor: string; readonly error?: Error }
  | {
      readonly type: 'test:started';
      readonly testId: string;
      readonly attemptId: string;
      readonly attempt: number;
      readonly supervisor: string;
      readonly startedAt: number;
    }
  /** A failed attempt that will run again (`retryFailures`). */
  | { readonly type: 'test:retried'; readonly result: TestResult }
  /** An attempt whose supervisor died; the test went back to the queue. */
  | { readonly type: 'test:rescheduled'; readonly result: TestResult }
  /** The test is done: this is its one final result. */
  | { readonly type: 'test:finished'; readonly result: FinalTestResult }
  /** All tests are done (or the run was cancelled); with `keepAlive` supervisors are still up. */
  | { readonly type: 'run:finished'; readonly summary: RunSummary };

/** The `type` of every runner event. */
export type RunnerEventType = RunnerEvent['type'];

/** Listener for runner events. Exceptions thrown by listeners are swallowed and reported once. */
export type RunnerListener = (event: RunnerEvent) => void;
