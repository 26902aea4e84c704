import { type ScheduleOrder, schedule } from '../src/schedule/schedule.js';
import type { Dataset, MeasuredTest } from './datasets.js';
import { lowerBound, simulate } from './simulate.js';

/** Worker counts every simulation uses. */
export const WORKER_COUNTS: readonly number[] = [5, 10, 25];
/** Longest-first with known durations must stay within this factor of the lower bound. */
export const KNOWN_TARGET = 1.02;

/** One simulated configuration and how close it came to the lower bound. */
export interface RatioRow {
  /** Dataset name, or `A -> B` for history runs. */
  readonly dataset: string;
  readonly workers: number;
  readonly order: ScheduleOrder;
  /** In seconds. */
  readonly makespanS: number;
  /** In seconds. */
  readonly lowerBoundS: number;
  readonly ratio: number;
  /** The ratio this row must not exceed, when it has a target. */
  readonly target?: number;
}

/** Simulate `durationsMs` (queue order) and describe the result as a row. */
export function ratioRow(
  dataset: string,
  workers: number,
  order: ScheduleOrder,
  durationsMs: readonly number[],
  target?: number,
): RatioRow {
  const makespan = simulate(durationsMs, workers).makespan;
  const bound = lowerBound(durationsMs, workers);
  return {
    dataset,
    workers,
    order,
    makespanS: makespan / 1000,
    lowerBoundS: bound / 1000,
    ratio: bound === 0 ? 1 : makespan / bound,
    ...(target === undefined ? {} : { target }),
  };
}

/** Whether a row meets its target (rows without one always do). */
export function meetsTarget(row: RatioRow): boolean {
  return row.target === undefined || row.ratio <= row.target;
}

/**
 * Issue 2's simulation: every dataset, for each worker count, ordered by name, randomly (with
 * `seed`) and longest-first with the dataset's own durations known.
 */
export function knownDurationRows(datasets: readonly Dataset[], seed: number): RatioRow[] {
  const rows: RatioRow[] = [];
  for (const dataset of datasets) {
    const known = new Map(dataset.tests.map((t) => [t.id, t.ms]));
    const orders: [ScheduleOrder, number | undefined][] = [
      ['name', undefined],
      ['random', undefined],
      ['longest-first', KNOWN_TARGET],
    ];
    for (const workers of WORKER_COUNTS) {
      for (const [order, target] of orders) {
        const queue = schedule<MeasuredTest>(dataset.tests, { order, seed, durations: known });
        const ms = queue.items.map((t) => t.ms);
        rows.push(ratioRow(dataset.name, workers, order, ms, target));
      }
    }
  }
  return rows;
}
