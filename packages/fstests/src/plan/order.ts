/** The one place the order of a run's tests is decided. */
import { randomSeed, schedule, seededRandom, shuffleInPlace } from '@ff/parallelrunner';

/** How to order: `-r` (with a seed), slowest first (from history or a SOURCE), or as given. */
export interface OrderOptions {
  /** `-r`: shuffle. Wins over `slowestFirst`. */
  readonly randomize?: boolean;
  /** Seed of the shuffle. Default: a fresh one (returned). */
  readonly seed?: number;
  /** Longest first by `durations`; a string names the SOURCE the durations come from. */
  readonly slowestFirst?: boolean | string;
  /** Known per-test durations (ms). */
  readonly durations?: ReadonlyMap<string, number>;
  /** Number of workers the longest-first schedule balances over. */
  readonly workers?: number;
}

/** The ordered tests, the seed of a shuffle, and a line saying how they were ordered. */
export interface Ordered<T> {
  readonly tests: readonly T[];
  readonly seed?: number;
  readonly notes: readonly string[];
}

/** Order `tests` (given in collection order) as `options` asks. */
export function orderTests<T extends { id: string }>(
  tests: readonly T[],
  options: OrderOptions,
): Ordered<T> {
  if (options.randomize) {
    const seed = (options.seed ?? randomSeed()) >>> 0;
    return {
      tests: shuffleInPlace([...tests], seededRandom(seed)),
      seed,
      notes: [`random order with seed ${seed} (repeat it with --seed ${seed})`],
    };
  }
  const slowest = options.slowestFirst ?? false;
  if (slowest === false || options.durations === undefined) return { tests, notes: [] };
  const durations = options.durations;
  const ordered = schedule(tests, {
    order: 'longest-first',
    durations,
    workers: Math.max(1, options.workers ?? 1),
  }).items;
  const known = tests.filter((t) => durations.has(t.id)).length;
  const from = typeof slowest === 'string' ? ` of ${slowest}` : '';
  return {
    tests: ordered,
    notes: [`order: longest first, durations${from} known for ${known} of ${tests.length} tests`],
  };
}
