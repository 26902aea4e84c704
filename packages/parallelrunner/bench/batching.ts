/**
 * Issue 12's simulation: every dataset, start-up cost 1 s and 3 s per dispatch, N = 4, 10, 25.
 * Makespan / lower bound (max(longest test, total / N) + one start-up) for batched dispatch
 * (the runner's planner, target 10 minutes, 100 tests at most) and for one test per dispatch,
 * both longest-first with the dataset's own durations known. Batched must stay within 1.10x.
 */
import { schedule } from '../src/schedule/schedule.js';
import { simulateBatched } from './batch-sim.js';
import type { Dataset, MeasuredTest } from './datasets.js';
import { noisyDurations } from './history.js';
import { simulate } from './simulate.js';
import { formatRatio, formatTable } from './table.js';

/** Batched dispatch must stay within this factor of the lower bound on every row. */
export const BATCH_TARGET = 1.1;
/** Start-up costs simulated, in ms. */
export const STARTUPS_MS: readonly number[] = [1000, 3000];
/** Worker counts simulated. */
export const BATCH_WORKERS: readonly number[] = [4, 10, 25];
/** Noise seeds of the informative ±20% column. */
const NOISE_SEEDS = 10;

const OPTIONS = { targetMs: 600_000, maxTests: 100 };

/** One row: a dataset at one start-up cost and worker count. */
export interface BatchRow {
  readonly dataset: string;
  readonly tests: number;
  readonly startupS: number;
  readonly workers: number;
  readonly boundS: number;
  readonly batchedS: number;
  readonly batched: number;
  readonly perTest: number;
  readonly dispatches: number;
  /** Worst batched ratio when real durations differ from the history by ±20% per test. */
  readonly noisy: number;
}

function bound(ms: readonly number[], workers: number, startupMs: number): number {
  const total = ms.reduce((sum, d) => sum + d, 0);
  return Math.max(Math.max(0, ...ms), total / workers) + startupMs;
}

/** Simulate every dataset at every start-up cost and worker count. */
export function batchRows(datasets: readonly Dataset[]): BatchRow[] {
  const rows: BatchRow[] = [];
  for (const dataset of datasets) {
    const known = new Map(dataset.tests.map((t) => [t.id, t.ms]));
    const queue = schedule<MeasuredTest>(dataset.tests, {
      order: 'longest-first',
      durations: known,
    }).items;
    const ms = queue.map((t) => t.ms);
    const noise = Array.from({ length: NOISE_SEEDS }, (_, i) => noisyDurations(dataset, i + 1));
    for (const startupMs of STARTUPS_MS) {
      for (const workers of BATCH_WORKERS) {
        const lb = bound(ms, workers, startupMs);
        const run = simulateBatched(queue, { workers, startupMs, ...OPTIONS });
        const perTest = simulate(
          ms.map((d) => d + startupMs),
          workers,
        ).makespan;
        const noisy = Math.max(
          ...noise.map((actual) => {
            const real = queue.map((t) => actual.get(t.id) ?? t.ms);
            const sim = simulateBatched(queue, {
              workers,
              startupMs,
              ...OPTIONS,
              actualMs: (t) => actual.get(t.id) ?? t.ms,
            });
            return sim.makespanMs / bound(real, workers, startupMs);
          }),
        );
        rows.push({
          dataset: dataset.name,
          tests: queue.length,
          startupS: startupMs / 1000,
          workers,
          boundS: lb / 1000,
          batchedS: run.makespanMs / 1000,
          batched: run.makespanMs / lb,
          perTest: perTest / lb,
          dispatches: run.dispatches,
          noisy,
        });
      }
    }
  }
  return rows;
}

/** The table of `batchRows`, and how many rows missed `BATCH_TARGET`. */
export function batchTable(datasets: readonly Dataset[]): { text: string; failures: number } {
  const rows = batchRows(datasets);
  let failures = 0;
  const lines = rows.map((r) => {
    const ok = r.batched <= BATCH_TARGET;
    if (!ok) failures++;
    return [
      r.dataset,
      String(r.tests),
      String(r.startupS),
      String(r.workers),
      r.boundS.toFixed(0),
      r.batchedS.toFixed(0),
      formatRatio(r.batched),
      formatRatio(r.perTest),
      String(r.dispatches),
      formatRatio(r.noisy),
      ok ? 'PASS' : 'FAIL',
    ];
  });
  const headers = [
    'dataset',
    'tests',
    'start-up s',
    'N',
    'bound s',
    'batched s',
    'batched',
    'per-test',
    'dispatches',
    'batched ±20%',
    `<=${BATCH_TARGET}x`,
  ];
  return { text: formatTable(headers, lines), failures };
}
