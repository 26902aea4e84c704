import { describe, expect, it } from 'vitest';
import { InvalidOptionError } from '../../src/errors.js';
import { type ScheduleOrder, schedule } from '../../src/schedule/schedule.js';

const t = (...ids: string[]) => ids.map((id) => ({ id }));
const ids = (items: readonly { id: string }[]) => items.map((i) => i.id);
const ms = (entries: Record<string, number>) => new Map(Object.entries(entries));

describe('schedule', () => {
  const tests = t('c', 'a', 'd', 'b', 'e');

  it('as-given keeps the order and copies the array', () => {
    const s = schedule(tests, { order: 'as-given' });
    expect(ids(s.items)).toEqual(['c', 'a', 'd', 'b', 'e']);
    expect(s.items).not.toBe(tests);
    expect(s.seed).toBeUndefined();
  });

  it('name sorts by id, locale-independently, without touching the input', () => {
    expect(
      ids(schedule(t('b', 'B', 'a', 'generic/010', 'generic/002'), { order: 'name' }).items),
    ).toEqual(['B', 'a', 'b', 'generic/002', 'generic/010']);
    expect(ids(tests)).toEqual(['c', 'a', 'd', 'b', 'e']);
  });

  it('longest-first puts unknown tests first (by id), then longest known, ties by id', () => {
    const s = schedule(tests, { order: 'longest-first', durations: ms({ a: 5, b: 9, c: 5 }) });
    expect(ids(s.items)).toEqual(['d', 'e', 'b', 'a', 'c']);
  });

  it('longest-first with unknown=estimate places unknown tests at the median', () => {
    const durations = ms({ a: 1, b: 10, c: 4 }); // median 4: d and e tie with c, ordered by id
    const s = schedule(tests, { order: 'longest-first', durations, unknown: 'estimate' });
    expect(ids(s.items)).toEqual(['b', 'c', 'd', 'e', 'a']);
  });

  it('longest-first with no history at all orders by id', () => {
    expect(ids(schedule(tests, { order: 'longest-first' }).items)).toEqual([
      'a',
      'b',
      'c',
      'd',
      'e',
    ]);
    const estimated = schedule(tests, { order: 'longest-first', unknown: 'estimate' });
    expect(ids(estimated.items)).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('longest-first treats 0 ms as known', () => {
    const s = schedule(t('x', 'y', 'z'), { order: 'longest-first', durations: ms({ x: 0, y: 0 }) });
    expect(ids(s.items)).toEqual(['z', 'x', 'y']);
  });

  it('random is reproducible from its seed and independent of the input order', () => {
    const many = t(...Array.from({ length: 50 }, (_, i) => `t${i}`));
    const a = schedule(many, { order: 'random', seed: 42 });
    const b = schedule([...many].reverse(), { order: 'random', seed: 42 });
    expect(a.seed).toBe(42);
    expect(ids(a.items)).toEqual(ids(b.items));
    expect(ids(a.items)).not.toEqual(ids(many));
    expect(new Set(ids(a.items))).toEqual(new Set(ids(many)));
    const c = schedule(many, { order: 'random', seed: 43 });
    expect(ids(c.items)).not.toEqual(ids(a.items));
  });

  it('random without a seed reports the one it chose, which reproduces the order', () => {
    const many = t(...Array.from({ length: 20 }, (_, i) => `t${i}`));
    const first = schedule(many, { order: 'random' });
    expect(Number.isInteger(first.seed)).toBe(true);
    const again = schedule(many, { order: 'random', seed: first.seed });
    expect(ids(again.items)).toEqual(ids(first.items));
  });

  it('with workers, known giants still go before the unknown tests', () => {
    const set = ['giant', 'mid', 'small', 'new1', 'new2'].map((id) => ({ id }));
    // Estimated total 1000 + 100 + 10 + 2 x median(100) = 1310; half a share of 2 workers: 327.5.
    const durations = ms({ giant: 1000, mid: 100, small: 10 });
    expect(ids(schedule(set, { order: 'longest-first', durations }).items)).toEqual([
      'new1',
      'new2',
      'giant',
      'mid',
      'small',
    ]);
    expect(ids(schedule(set, { order: 'longest-first', durations, workers: 2 }).items)).toEqual([
      'giant',
      'new1',
      'new2',
      'mid',
      'small',
    ]);
    expect(() => schedule(set, { order: 'longest-first', durations, workers: 0 })).toThrow(
      InvalidOptionError,
    );
  });

  it('handles an empty list for every order', () => {
    for (const order of ['longest-first', 'random', 'as-given', 'name'] as ScheduleOrder[]) {
      expect(schedule([], { order, seed: 1 }).items).toEqual([]);
    }
  });

  it('rejects bad options with InvalidOptionError', () => {
    const bad = [
      { order: 'fastest' as ScheduleOrder },
      { order: 'random' as const, seed: 1.5 },
      { order: 'longest-first' as const, durations: ms({ a: -1 }) },
      { order: 'longest-first' as const, durations: ms({ a: Number.NaN }) },
      { order: 'longest-first' as const, unknown: 'last' as 'first' },
    ];
    for (const options of bad) {
      expect(() => schedule(tests, options)).toThrow(InvalidOptionError);
    }
    let thrown: unknown;
    try {
      schedule(tests, { order: 'random', seed: 0.5 });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ code: 'ERR_INVALID_OPTION' });
  });
});
