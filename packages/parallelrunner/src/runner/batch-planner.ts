import { batchBudgetMs, planBatch } from '../batch/plan.js';
import { median } from '../schedule/durations.js';
import type { Test } from '../test.js';
import type { ResolvedBatching } from './options.js';
import type { RunState, TestEntry } from './run-state.js';

/** `f()`, or `undefined` when it throws: a batcher that throws keeps its tests alone. */
function attempt<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch {
    return undefined;
  }
}

/** Start-up samples kept (the estimate is their median). */
const STARTUP_SAMPLES = 16;

/**
 * Forms each worker's next dispatch from the shared queue (see `src/batch/plan.ts`): it keeps
 * the estimated work still pending and the measured start-up cost of a batch.
 */
export class BatchPlanner {
  readonly #options: ResolvedBatching;
  readonly #fallbackMs: number;
  #pendingMs = 0;
  readonly #startups: number[] = [];

  constructor(options: ResolvedBatching, tests: readonly Test[]) {
    this.#options = options;
    // Unknown tests count at the median of the known ones in the pending work.
    this.#fallbackMs = median([...options.durations.values()]) ?? 0;
    for (const test of tests) this.#pendingMs += this.#estimate(test.id);
  }

  /** The suite's batcher. */
  get batcher() {
    return this.#options.batcher;
  }

  /** The next dispatch for a worker: one entry, several, or none when the queue is empty. */
  take(state: RunState, workers: number): TestEntry[] {
    const { durations, batcher, targetMs, maxTests } = this.#options;
    const startupMs = median(this.#startups) ?? 0;
    const budgetMs = batchBudgetMs({ pendingMs: this.#pendingMs, workers, targetMs, startupMs });
    const lookahead = maxTests * 4;
    return state.takeSome(lookahead, (entries) => {
      // A test that crashed its supervisor in this run runs alone from now on.
      const items = entries.map((entry) => ({
        entry,
        key: entry.reschedules > 0 ? undefined : attempt(() => batcher.key(entry.test)),
        estimateMs: durations.get(entry.test.id),
      }));
      const joins = (batch: readonly { entry: TestEntry }[], item: { entry: TestEntry }) =>
        attempt(
          () =>
            batcher.canJoin?.(
              batch.map((b) => b.entry.test),
              item.entry.test,
            ) ?? true,
        ) === true;
      return planBatch(items, { budgetMs, maxTests, maxScan: lookahead }, joins);
    });
  }

  /** A test got its final result: its estimate leaves the pending work. */
  finished(entry: TestEntry): void {
    this.#pendingMs = Math.max(0, this.#pendingMs - this.#estimate(entry.test.id));
  }

  /** A batch's first test started `ms` after its dispatch. */
  observeStartup(ms: number): void {
    this.#startups.push(ms);
    if (this.#startups.length > STARTUP_SAMPLES) this.#startups.shift();
  }

  #estimate(id: string): number {
    return this.#options.durations.get(id) ?? this.#fallbackMs;
  }
}
