import { describe, expect, it } from 'vitest';
import { estimateRemainingMs, median } from '../../src/schedule/durations.js';
import { seededRandom } from '../../src/schedule/random.js';

describe('median', () => {
  it('is the middle value, or the mean of the two middle values', () => {
    expect(median([])).toBeUndefined();
    expect(median([7])).toBe(7);
    expect(median([9, 1, 5])).toBe(5);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});

describe('estimateRemainingMs', () => {
  const durations = new Map([
    ['a', 1000],
    ['b', 3000],
    ['c', 2000],
    ['long', 60_000],
  ]);

  it('divides the known remaining time over the live supervisors', () => {
    expect(estimateRemainingMs(['a', 'b', 'c'], durations, 2)).toBe(3000);
    expect(estimateRemainingMs(['a', 'b', 'c'], durations, 1)).toBe(6000);
  });

  it('never estimates less than the longest remaining test', () => {
    expect(estimateRemainingMs(['a', 'long'], durations, 10)).toBe(60_000);
  });

  it('counts unknown tests as the median of the known durations', () => {
    // median of 1000, 2000, 3000, 60000 is 2500
    expect(estimateRemainingMs(['x', 'y', 'a'], durations, 1)).toBe(6000);
  });

  it('is 0 with nothing left or nothing known, Infinity with work and no supervisor', () => {
    expect(estimateRemainingMs([], durations, 3)).toBe(0);
    expect(estimateRemainingMs(['x'], new Map(), 3)).toBe(0);
    expect(estimateRemainingMs(['a'], durations, 0)).toBe(Number.POSITIVE_INFINITY);
  });

  it('accepts any iterable of ids', () => {
    expect(estimateRemainingMs(new Set(['a', 'b']), durations, 1)).toBe(4000);
  });
});

describe('seededRandom', () => {
  it('is reproducible, in [0, 1), and differs between seeds', () => {
    const a = seededRandom(1);
    const b = seededRandom(1);
    const c = seededRandom(2);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(Array.from({ length: 1000 }, () => b())).toEqual(xs);
    expect(Array.from({ length: 1000 }, () => c())).not.toEqual(xs);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(mean).toBeGreaterThan(0.45);
    expect(mean).toBeLessThan(0.55);
  });
});
