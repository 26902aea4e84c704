import { describe, expect, it } from 'vitest';
import { compare } from '../../src/results/compare.js';
import { formatComparison } from '../../src/results/format-comparison.js';
import { attemptResult, finalOf, loaded } from './helpers.js';

const one = (id: string, status: Parameters<typeof attemptResult>[2], durationMs = 1000) =>
  finalOf([attemptResult(id, 1, status, { durationMs })]);

const baseline = loaded('run-a', [
  one('g/001', 'pass'),
  one('g/002', 'skip'),
  one('g/003', 'fail'),
  one('g/004', 'error'),
  one('g/005', 'pass', 10_000),
  one('g/006', 'pass', 10_000),
  one('g/007', 'pass', 1_000),
  one('g/008', 'pass'),
  one('g/009', 'fail'),
  one('g/010', 'pass'),
]);

const newer = loaded(
  'run-b',
  [
    one('g/001', 'fail'),
    one('g/002', 'error'),
    one('g/003', 'pass'),
    one('g/004', 'pass'),
    one('g/005', 'pass', 16_000), // +6 s, +60%: beyond both thresholds
    one('g/006', 'pass', 14_000), // +4 s: below the absolute threshold
    one('g/007', 'pass', 7_000), // +6 s, +600%
    finalOf([attemptResult('g/008', 1, 'fail'), attemptResult('g/008', 2, 'pass')]),
    one('g/009', 'skip'),
    finalOf([
      attemptResult('g/011', 1, 'error', { outcome: 'crashed' }),
      attemptResult('g/011', 2, 'error', { outcome: 'crashed' }),
      attemptResult('g/011', 3, 'pass'),
    ]),
  ],
  ['g/003: result folder missing'],
);

describe('compare', () => {
  it('classifies every kind of change, sorted by id', () => {
    const c = compare(baseline, newer);
    expect(c.version).toBe(1);
    expect(c.regressions.map((r) => [r.id, r.from, r.to])).toEqual([
      ['g/001', 'pass', 'fail'],
      ['g/002', 'skip', 'error'],
    ]);
    expect(c.fixes.map((r) => r.id)).toEqual(['g/003', 'g/004']);
    expect(c.otherChanges.map((r) => [r.id, r.from, r.to])).toEqual([['g/009', 'fail', 'skip']]);
    expect(c.new).toEqual([{ id: 'g/011', status: 'pass' }]);
    expect(c.removed).toEqual([{ id: 'g/010', status: 'pass' }]);
    expect(c.timing).toEqual([
      { id: 'g/005', fromMs: 10_000, toMs: 16_000, deltaMs: 6000, ratio: 1.6 },
      { id: 'g/007', fromMs: 1000, toMs: 7000, deltaMs: 6000, ratio: 7 },
    ]);
    expect(c.crashReschedules).toEqual([{ id: 'g/011', count: 2 }]);
    expect(c.retries).toEqual([{ id: 'g/008', count: 1 }]);
    expect(c.flaky).toEqual(['g/008']);
    expect(c.unchanged).toEqual({ pass: 4, fail: 0, skip: 0, error: 0 });
    expect(c.changed).toBe(true);
    expect(c.warnings).toEqual(['b: g/003: result folder missing']);
  });

  it('honours custom thresholds', () => {
    const c = compare(baseline, newer, { timeThresholdMs: 3000, timeThresholdRatio: 0.3 });
    expect(c.timing.map((t) => t.id)).toEqual(['g/005', 'g/006', 'g/007']);
    expect(compare(baseline, newer, { timeThresholdRatio: 1 }).timing.map((t) => t.id)).toEqual([
      'g/007',
    ]);
  });

  it('is deterministic whatever the input order, and round-trips through JSON', () => {
    const shuffled = loaded('run-b', [...newer.results].reverse(), [...newer.warnings]);
    const c1 = compare(baseline, newer);
    const c2 = compare(baseline, { ...shuffled, results: [...newer.results].reverse() });
    expect(c2).toEqual(c1);
    expect(formatComparison(c2)).toBe(formatComparison(c1));
    expect(JSON.parse(JSON.stringify(c1))).toEqual(c1);
  });

  it('prints a stable plain-text report', () => {
    expect(formatComparison(compare(baseline, newer))).toBe(
      [
        'Comparing run run-a (10 tests) with run run-b (10 tests)',
        'Regressions (2):',
        '  g/001  pass -> fail  fail summary',
        '  g/002  skip -> error  error summary',
        'Fixes (2):',
        '  g/003  fail -> pass',
        '  g/004  error -> pass',
        'Other status changes (1):',
        '  g/009  fail -> skip  skip summary',
        'New (1):',
        '  g/011  pass',
        'Removed (1):',
        '  g/010  pass',
        'Timing changes beyond 5.0s and 50% (2):',
        '  g/005  10.0s -> 16.0s  (+6.0s, +60%)',
        '  g/007  1.0s -> 7.0s  (+6.0s, +600%)',
        'Crash reschedules (newer side) (1):',
        '  g/011  2',
        'Retries (newer side) (1):',
        '  g/008  1',
        'Flaky (passed after a retry, newer side) (1):',
        '  g/008',
        'Unchanged: pass 4, fail 0, skip 0, error 0',
        'Warnings (1):',
        '  b: g/003: result folder missing',
        '',
      ].join('\n'),
    );
  });

  it('a run compared with itself has no changes and says so', () => {
    const c = compare(baseline, baseline);
    expect(c.changed).toBe(false);
    expect([c.regressions, c.fixes, c.otherChanges, c.new, c.removed, c.timing]).toEqual([
      [],
      [],
      [],
      [],
      [],
      [],
    ]);
    expect(formatComparison(c)).toMatch(
      /^Comparing run run-a \(10 tests\) with run run-a \(10 tests\)\nNo changes: all 10 tests have the same status, and no timing changed\.\n/,
    );
  });

  it('treats a zero baseline duration as an unbounded ratio', () => {
    const c = compare(
      loaded('a', [one('t/1', 'pass', 0)]),
      loaded('b', [one('t/1', 'pass', 6000)]),
    );
    expect(c.timing).toEqual([{ id: 't/1', fromMs: 0, toMs: 6000, deltaMs: 6000, ratio: null }]);
    expect(formatComparison(c)).toMatch(/t\/1 {2}0\.0s -> 6\.0s {2}\(\+6\.0s, new time\)/);
  });
});
