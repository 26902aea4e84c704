import { InvalidOptionError } from '../errors.js';
import { median } from './durations.js';
import { randomSeed, seededRandom, shuffleInPlace } from './random.js';

/**
 * Order of the run queue.
 * - `longest-first`: by known duration, longest first (tests without history first or
 *   estimated, see `ScheduleOptions.unknown`).
 * - `random`: a seeded shuffle; the seed is reported back so a run can be repeated.
 * - `as-given`: the order the tests were passed in.
 * - `name`: by id.
 */
export type ScheduleOrder = 'longest-first' | 'random' | 'as-given' | 'name';

/** The orders `schedule` accepts. */
export const SCHEDULE_ORDERS: readonly ScheduleOrder[] = [
  'longest-first',
  'random',
  'as-given',
  'name',
];

/** Options of `schedule`. */
export interface ScheduleOptions {
  /** How to order the queue (see `ScheduleOrder`); required. */
  order: ScheduleOrder;
  /** Known durations in ms by test id (from history). Default: none known. */
  durations?: ReadonlyMap<string, number>;
  /** Seed for `random` (an integer; only its low 32 bits count). Default: a random seed, reported back. */
  seed?: number;
  /**
   * Where tests without a known duration go for `longest-first`: `first` (default: they run
   * before every test with history, ordered by id) or `estimate` (they count as the median of
   * the known durations).
   */
  unknown?: 'first' | 'estimate';
}

/** An ordered queue. */
export interface Schedule<T> {
  /** The tests in the order they should be dispatched. */
  readonly items: T[];
  /** The seed used for `random` (absent for other orders). */
  readonly seed?: number;
  /** The order that was applied. */
  readonly order: ScheduleOrder;
}

/** Compare ids by UTF-16 code units: locale-independent, so every machine agrees. */
export function compareIds(a: string, b: string): number {
  if (a < b) return -1;
  return a > b ? 1 : 0;
}

function byId<T extends { id: string }>(a: T, b: T): number {
  return compareIds(a.id, b.id);
}

function validate(options: ScheduleOptions): void {
  if (!SCHEDULE_ORDERS.includes(options.order)) {
    throw new InvalidOptionError(
      `schedule order "${String(options.order)}" is invalid: expected one of ${SCHEDULE_ORDERS.join(', ')}`,
    );
  }
  if (options.seed !== undefined && !Number.isSafeInteger(options.seed)) {
    throw new InvalidOptionError(
      `schedule seed ${String(options.seed)} is invalid: expected an integer`,
    );
  }
  if (
    options.unknown !== undefined &&
    options.unknown !== 'first' &&
    options.unknown !== 'estimate'
  ) {
    throw new InvalidOptionError(
      `schedule unknown "${String(options.unknown)}" is invalid: expected "first" or "estimate"`,
    );
  }
  for (const [id, ms] of options.durations ?? []) {
    if (!Number.isFinite(ms) || ms < 0) {
      throw new InvalidOptionError(
        `duration of "${id}" is ${String(ms)}: expected a finite number of milliseconds >= 0`,
      );
    }
  }
}

function longestFirst<T extends { id: string }>(
  tests: readonly T[],
  durations: ReadonlyMap<string, number>,
  unknown: 'first' | 'estimate',
): T[] {
  const estimate = unknown === 'estimate' ? median([...durations.values()]) : undefined;
  // Unknown tests sort above every known one (as `Infinity`) unless they are estimated.
  const keyed = tests.map((test) => ({
    test,
    ms: durations.get(test.id) ?? estimate ?? Number.POSITIVE_INFINITY,
  }));
  keyed.sort((a, b) => (a.ms === b.ms ? byId(a.test, b.test) : b.ms - a.ms));
  return keyed.map((k) => k.test);
}

/**
 * Order `tests` for the run queue. Deterministic: equal keys are ordered by id, and `random`
 * shuffles the tests sorted by id, so the same set of tests and seed give the same order
 * whatever order they came in. The input is not modified.
 *
 * @throws InvalidOptionError for an unknown order, a non-integer seed or a negative duration.
 */
export function schedule<T extends { id: string }>(
  tests: readonly T[],
  options: ScheduleOptions,
): Schedule<T> {
  validate(options);
  switch (options.order) {
    case 'as-given':
      return { order: options.order, items: [...tests] };
    case 'name':
      return { order: options.order, items: [...tests].sort(byId) };
    case 'random': {
      const seed = options.seed ?? randomSeed();
      const items = shuffleInPlace([...tests].sort(byId), seededRandom(seed));
      return { order: options.order, items, seed };
    }
    case 'longest-first':
      return {
        order: options.order,
        items: longestFirst(tests, options.durations ?? new Map(), options.unknown ?? 'first'),
      };
  }
}
