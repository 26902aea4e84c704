import { type EtaWorker, estimateRemainingMs } from '@ff/parallelrunner';
import type { RunState } from './run-state.js';

/**
 * The live view's ETA: the run's state handed to `estimateRemainingMs`. `supervisors` are all
 * of the run's (one without a row yet is starting); `order` is the queue as given to the runner;
 * `history` the durations known before the run, to which the run's finished tests are added.
 * `undefined` until it can be estimated.
 */
export function runEta(
  state: RunState,
  supervisors: readonly string[],
  order: readonly string[],
  history: ReadonlyMap<string, number>,
  now: number = Date.now(),
): number | undefined {
  const workers: EtaWorker[] = [];
  const running = new Set<string>();
  for (const name of supervisors) {
    const row = state.rows.get(name);
    if (!row) workers.push({ state: 'starting', elapsedMs: now - state.startedAt });
    else if (row.state === 'spawning' || row.state === 'respawning') {
      workers.push({ state: 'starting', elapsedMs: now - row.since });
    } else if (row.state === 'idle') workers.push({ state: 'idle' });
    else if (row.state === 'running' && row.testId !== undefined) {
      running.add(row.testId);
      workers.push({ state: 'running', testId: row.testId, elapsedMs: now - row.since });
    }
  }
  const durations = new Map(history);
  for (const [id, ms] of state.measured) durations.set(id, ms);
  return estimateRemainingMs({
    queued: order.filter((id) => !state.done.has(id) && !running.has(id)),
    workers,
    durations,
    startupsMs: state.startupsMs,
  });
}
