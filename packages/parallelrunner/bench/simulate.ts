/**
 * Virtual-clock list scheduling: `workers` identical workers share one queue; whenever a worker
 * is free it takes the next item. Pure and fast (no timers, no I/O).
 */

/** Outcome of one simulated run. */
export interface Simulation {
  /** Time at which the last worker finished. */
  readonly makespan: number;
  /** Busy time of each worker (sum of the durations it ran). */
  readonly busy: readonly number[];
}

/**
 * Simulate `durations` (in queue order) on `workers` workers. A free worker with the earliest
 * free time takes the next item; ties go to the lowest worker index.
 */
export function simulate(durations: readonly number[], workers: number): Simulation {
  if (!Number.isInteger(workers) || workers < 1) {
    throw new RangeError(`workers must be a positive integer, got ${workers}`);
  }
  const freeAt = new Array<number>(workers).fill(0);
  const busy = new Array<number>(workers).fill(0);
  for (const d of durations) {
    let w = 0;
    for (let i = 1; i < workers; i++) {
      if ((freeAt[i] as number) < (freeAt[w] as number)) w = i;
    }
    freeAt[w] = (freeAt[w] as number) + d;
    busy[w] = (busy[w] as number) + d;
  }
  return { makespan: Math.max(0, ...freeAt), busy };
}

/** No schedule on `workers` workers can finish before `max(longest item, total / workers)`. */
export function lowerBound(durations: readonly number[], workers: number): number {
  let total = 0;
  let longest = 0;
  for (const d of durations) {
    total += d;
    if (d > longest) longest = d;
  }
  return Math.max(longest, total / workers);
}

/** `makespan / lowerBound` for `durations` in queue order (1 when there is no work). */
export function makespanRatio(durations: readonly number[], workers: number): number {
  const bound = lowerBound(durations, workers);
  if (bound === 0) return 1;
  return simulate(durations, workers).makespan / bound;
}
