import { seededRandom } from '../src/schedule/random.js';
import { compareIds, schedule } from '../src/schedule/schedule.js';
import { type Dataset, findDataset } from './datasets.js';
import { type RatioRow, WORKER_COUNTS, ratioRow } from './scheduling.js';

/** Longest-first from another run's history, with noisy actual durations, must stay within this. */
export const HISTORY_TARGET = 1.05;
/** Each actual duration is scaled by a factor drawn uniformly from `1 ± NOISE`. */
export const NOISE = 0.2;

/** A history run and the run it is applied to, by dataset name. */
export type HistoryPair = readonly [history: string, actual: string];

/**
 * Cross-run pairs: the same reflink config on two machines (kernels 6.6 and 5.4), and xfs crc
 * vs reflink on one machine. Their durations differ by far more than noise (shared/032 took 5 s
 * on one and 994 s on the other), so these rows show what history from another run is worth.
 */
export const HISTORY_PAIRS: readonly HistoryPair[] = [
  ['xfs-kdevops-reflink4k', 'xfs-kdevops-cloud54-reflink'],
  ['xfs-kdevops-cloud54-reflink', 'xfs-kdevops-reflink4k'],
  ['xfs-kdevops-crc', 'xfs-kdevops-reflink4k'],
  ['xfs-kdevops-reflink4k', 'xfs-kdevops-crc'],
];

/** Noise-only pairs: a run's own history applied to itself with ±20% noise per test. */
export const NOISE_ONLY_PAIRS: readonly HistoryPair[] = [
  ['xfs-kdevops-reflink4k', 'xfs-kdevops-reflink4k'],
  ['xfs-kdevops-cloud54-reflink', 'xfs-kdevops-cloud54-reflink'],
  ['xfs-kdevops-crc', 'xfs-kdevops-crc'],
];

/**
 * `actual`'s durations with seeded per-test noise of ±`NOISE`, keyed by test id. The noise of a
 * test depends only on the seed and the test's position in id order.
 */
export function noisyDurations(actual: Dataset, seed: number): Map<string, number> {
  const random = seededRandom(seed);
  const byId = [...actual.tests].sort((a, b) => compareIds(a.id, b.id));
  return new Map(byId.map((t) => [t.id, t.ms * (1 + (random() * 2 - 1) * NOISE)]));
}

/**
 * Issue 3's simulation: order the tests of run B longest-first by the durations of run A
 * (tests absent from A are unknown and go first), then simulate with B's real durations plus
 * noise. The lower bound is computed from the same noisy durations.
 */
export function historyRows(
  datasets: readonly Dataset[],
  seed: number,
  pairs: readonly HistoryPair[] = HISTORY_PAIRS,
): RatioRow[] {
  const rows: RatioRow[] = [];
  for (const [from, to] of pairs) {
    const history = findDataset(datasets, from);
    const actual = findDataset(datasets, to);
    const durations = new Map(history.tests.map((t) => [t.id, t.ms]));
    const real = noisyDurations(actual, seed);
    for (const workers of WORKER_COUNTS) {
      const queue = schedule(actual.tests, { order: 'longest-first', durations, workers });
      const ms = queue.items.map((t) => real.get(t.id) ?? 0);
      rows.push(
        ratioRow(
          from === to ? `${from} ±20%` : `${from} -> ${to}`,
          workers,
          'longest-first',
          ms,
          HISTORY_TARGET,
        ),
      );
    }
  }
  return rows;
}

/** How many tests of `to` have no duration in `from`. */
export function unknownCount(datasets: readonly Dataset[], from: string, to: string): number {
  const known = new Set(findDataset(datasets, from).tests.map((t) => t.id));
  return findDataset(datasets, to).tests.filter((t) => !known.has(t.id)).length;
}

/** The test whose duration differs most between `from` and `to`, e.g. `shared/032 5 s -> 994 s`. */
export function largestChange(datasets: readonly Dataset[], from: string, to: string): string {
  const before = new Map(findDataset(datasets, from).tests.map((t) => [t.id, t.ms]));
  let best = { id: '', a: 0, b: 0 };
  for (const t of findDataset(datasets, to).tests) {
    const a = before.get(t.id);
    if (a !== undefined && Math.abs(t.ms - a) > Math.abs(best.b - best.a)) {
      best = { id: t.id, a, b: t.ms };
    }
  }
  return `${best.id} ${best.a / 1000} s -> ${best.b / 1000} s`;
}
