import { median } from './durations.js';

/** What one supervisor is doing, as `estimateRemainingMs` sees it. */
export type EtaWorker =
  /** Starting or restarting, for `elapsedMs` so far. */
  | { readonly state: 'starting'; readonly elapsedMs: number }
  /** Ready and waiting for a test. */
  | { readonly state: 'idle' }
  /** Running `testId`, for `elapsedMs` so far. */
  | { readonly state: 'running'; readonly testId: string; readonly elapsedMs: number };

/** Input of `estimateRemainingMs`: a snapshot of a run. */
export interface EtaInput {
  /** Tests not started yet, in the order they will be handed out. */
  readonly queued: readonly string[];
  /** Every supervisor that can still run tests (not the ones that left the run). */
  readonly workers: readonly EtaWorker[];
  /** Known durations in ms by test id: the history plus the tests this run finished. */
  readonly durations: ReadonlyMap<string, number>;
  /** How long supervisors took to start in this run, in ms (e.g. `supervisor:ready`'s `startupMs`). */
  readonly startupsMs: readonly number[];
}

/**
 * Estimated milliseconds until the run is done: each supervisor is free once it has started
 * (the median start-up time seen so far, minus how long it has been starting) and finished its
 * running test (its expected duration minus its elapsed time); queued tests then go, in order,
 * to whichever supervisor is free first, as the runner hands them out. A test without a known
 * duration counts as the median of the known ones.
 *
 * `undefined` when it cannot be estimated yet: no duration is known while a test without one
 * remains, a supervisor is starting and none has started yet, or tests remain and no
 * supervisor does. `0` when nothing remains.
 */
export function estimateRemainingMs(input: EtaInput): number | undefined {
  const typical = median([...input.durations.values()]);
  const startup = median(input.startupsMs);
  const duration = (id: string) => input.durations.get(id) ?? typical;
  const free: number[] = [];
  for (const w of input.workers) {
    if (w.state === 'idle') free.push(0);
    else if (w.state === 'starting') {
      if (startup === undefined) return undefined;
      free.push(Math.max(0, startup - w.elapsedMs));
    } else {
      const expected = duration(w.testId);
      if (expected === undefined) return undefined;
      free.push(Math.max(0, expected - w.elapsedMs));
    }
  }
  if (input.queued.length > 0 && free.length === 0) return undefined;
  for (const id of input.queued) {
    const expected = duration(id);
    if (expected === undefined) return undefined;
    let first = 0;
    for (let i = 1; i < free.length; i++) if ((free[i] ?? 0) < (free[first] ?? 0)) first = i;
    free[first] = (free[first] ?? 0) + expected;
  }
  return free.reduce((most, t) => Math.max(most, t), 0);
}
