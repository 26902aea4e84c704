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
  /**
   * How many supervisors will take tests. With `unknown: 'first'`, known tests of at least half
   * a supervisor's expected share (the estimated total / `workers` / 2, unknown tests counted
   * at the median) still go before the unknown ones: one of them starting late would set the
   * run's length. Default: not known (every unknown test goes first).
   */
  workers?: number;
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
  if (
    options.workers !== undefined &&
    !(Number.isInteger(options.workers) && options.workers >= 1)
  ) {
    throw new InvalidOptionError(
      `schedule workers ${String(options.workers)} is invalid: expected an integer >= 1`,
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
  workers: number | undefined,
): T[] {
  const known = [...durations.values()];
  const estimate = median(known) ?? 0;
  // Unknown tests sort above every known one (as `Infinity`) unless they are estimated, or
  // (`workers` given) above every known one but the giants.
  let unknownKey = unknown === 'estimate' ? estimate : Number.POSITIVE_INFINITY;
  if (unknown === 'first' && workers !== undefined) {
    let total = 0;
    for (const test of tests) total += durations.get(test.id) ?? estimate;
    unknownKey = total / workers / 2;
  }
  const keyed = tests.map((test) => ({
    test,
    known: durations.has(test.id),
    ms: durations.get(test.id) ?? unknownKey,
  }));
  // Equal keys: known giants before unknown tests, then by id.
  keyed.sort((a, b) =>
    a.ms !== b.ms ? b.ms - a.ms : a.known !== b.known ? (a.known ? -1 : 1) : byId(a.test, b.test),
  );
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
        items: longestFirst(
          tests,
          options.durations ?? new Map(),
          options.unknown ?? 'first',
          options.workers,
        ),
      };
  }
}
