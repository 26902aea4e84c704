/** What a finished attempt means for its test: final, retried or rescheduled. */
import type { TestResult } from '../test.js';
import type { EventEmitter } from './emitter.js';
import type { ResolvedOptions } from './options.js';
import type { RunState, TestEntry } from './run-state.js';

/** What filing needs from the run. */
export interface Filing {
  readonly options: ResolvedOptions;
  readonly state: RunState;
  readonly emitter: EventEmitter;
  /** Aborts when the run is cancelled (no retries then). */
  readonly runSignal: AbortSignal;
}

/**
 * An attempt whose supervisor died: the test goes back to the queue, or is final (`error`)
 * once it killed a supervisor `maxSupervisorRestarts` times.
 */
export function fileCrashed(run: Filing, entry: TestEntry, result: TestResult): void {
  const kills = entry.reschedules + 1;
  if (kills >= run.options.maxSupervisorRestarts) {
    const times = kills === 1 ? 'once' : `${kills} times`;
    run.state.finish(entry, {
      ...result,
      summary: `killed its supervisor ${times} (${result.summary})`,
    });
    return;
  }
  entry.attempts.push(result);
  entry.reschedules++;
  run.emitter.emit({ type: 'test:rescheduled', result });
  run.state.requeue(entry);
}

/** A completed attempt: final, or queued again while retries of a failure are left. */
export function fileCompleted(run: Filing, entry: TestEntry, result: TestResult): void {
  const failed = result.status === 'fail' || result.status === 'error';
  if (failed && entry.retries < run.options.retryFailures && !run.runSignal.aborted) {
    entry.attempts.push(result);
    entry.retries++;
    run.emitter.emit({ type: 'test:retried', result });
    run.state.requeue(entry);
    return;
  }
  run.state.finish(entry, result);
}
