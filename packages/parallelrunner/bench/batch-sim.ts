/**
 * Virtual-clock simulation of batched dispatch: `workers` identical workers share one queue and
 * every dispatch (a batch or a single test) pays `startupMs` before its first test. Batches are
 * formed by the runner's own planner (`src/batch/plan.ts`) from the known durations.
 */
import { batchBudgetMs, planBatch } from '../src/batch/plan.js';
import type { MeasuredTest } from './datasets.js';

/** Options of one simulated run. */
export interface BatchSimOptions {
  readonly workers: number;
  /** Cost of one dispatch (fstests' `./check` start-up) in ms. */
  readonly startupMs: number;
  /** Cap on a batch's estimated length in ms (`Infinity`: none). */
  readonly targetMs: number;
  /** Most tests in one batch. */
  readonly maxTests: number;
  /** How long each test really takes, in ms. Default: its known duration (`ms`). */
  readonly actualMs?: (test: MeasuredTest) => number;
}

/** Outcome of one simulated run. */
export interface BatchSim {
  readonly makespanMs: number;
  /** Dispatches made (batches and single tests). */
  readonly dispatches: number;
}

/** Simulate `queue` (in queue order, durations known exactly) with batching. */
export function simulateBatched(
  queue: readonly MeasuredTest[],
  options: BatchSimOptions,
): BatchSim {
  const { workers, startupMs } = options;
  const left = [...queue];
  const freeAt = new Array<number>(workers).fill(0);
  // Per worker: when each test of its current dispatch finishes, with its duration.
  const running: { endMs: number; ms: number }[][] = Array.from({ length: workers }, () => []);
  let queued = left.reduce((sum, t) => sum + t.ms, 0);
  let dispatches = 0;
  while (left.length > 0) {
    let w = 0;
    for (let i = 1; i < workers; i++) if ((freeAt[i] as number) < (freeAt[w] as number)) w = i;
    const now = freeAt[w] as number;
    let inFlight = 0;
    for (const members of running) for (const m of members) if (m.endMs > now) inFlight += m.ms;
    const budgetMs = batchBudgetMs({
      pendingMs: queued + inFlight,
      workers,
      targetMs: options.targetMs,
      // The runner learns the start-up from its first batch: until then it is unknown (0).
      startupMs: now < startupMs ? 0 : startupMs,
    });
    const items = left.map((t) => ({ key: '', estimateMs: t.ms }));
    const picked = planBatch(items, { budgetMs, maxTests: options.maxTests, maxScan: 1000 });
    let at = now + startupMs;
    const members: { endMs: number; ms: number }[] = [];
    for (const index of picked) {
      const test = left[index] as MeasuredTest;
      at += options.actualMs?.(test) ?? test.ms;
      queued -= test.ms;
      members.push({ endMs: at, ms: test.ms });
    }
    for (const index of [...picked].sort((a, b) => b - a)) left.splice(index, 1);
    running[w] = members;
    freeAt[w] = at;
    dispatches++;
  }
  return { makespanMs: Math.max(0, ...freeAt), dispatches };
}
