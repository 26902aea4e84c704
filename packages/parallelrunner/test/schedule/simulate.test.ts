import { describe, expect, it } from 'vitest';
import { parseDurations } from '../../bench/datasets.js';
import { lowerBound, makespanRatio, simulate } from '../../bench/simulate.js';

describe('simulate (virtual-clock list scheduling)', () => {
  it('gives each next item to the earliest free worker', () => {
    // w0: 5 then 2 (free at 7); w1: 3 then 4 (free at 7) -> makespan 7
    expect(simulate([5, 3, 4, 2], 2)).toEqual({ makespan: 7, busy: [7, 7] });
    // the longest test last is the classic bad case: [1,1,1,1,4] on 2 workers -> 2 + 4
    expect(simulate([1, 1, 1, 1, 4], 2).makespan).toBe(6);
    expect(simulate([4, 1, 1, 1, 1], 2).makespan).toBe(4);
  });

  it('handles one worker, more workers than items, zero durations and no items', () => {
    expect(simulate([2, 3, 0], 1).makespan).toBe(5);
    expect(simulate([2, 3], 5)).toEqual({ makespan: 3, busy: [2, 3, 0, 0, 0] });
    expect(simulate([0, 0, 0], 2).makespan).toBe(0);
    expect(simulate([], 3).makespan).toBe(0);
  });

  it('rejects a worker count that is not a positive integer', () => {
    expect(() => simulate([1], 0)).toThrow(RangeError);
    expect(() => simulate([1], 1.5)).toThrow(RangeError);
  });

  it('computes the lower bound and the ratio to it', () => {
    expect(lowerBound([1, 1, 1, 1, 4], 2)).toBe(4);
    expect(lowerBound([3, 3, 3, 3], 2)).toBe(6);
    expect(makespanRatio([1, 1, 1, 1, 4], 2)).toBe(1.5);
    expect(makespanRatio([4, 1, 1, 1, 1], 2)).toBe(1);
    expect(makespanRatio([], 2)).toBe(1);
  });
});

describe('parseDurations', () => {
  it('reads test<TAB>seconds rows as milliseconds, keeping 0 s tests', () => {
    const text = 'test\tseconds\ngeneric/001\t3\nxfs/227\t0\n';
    expect(parseDurations(text, 'f.tsv')).toEqual([
      { id: 'generic/001', ms: 3000 },
      { id: 'xfs/227', ms: 0 },
    ]);
  });

  it('rejects a wrong header, a bad row and a duplicate test', () => {
    expect(() => parseDurations('name\tsecs\n', 'f.tsv')).toThrow(/header/);
    expect(() => parseDurations('test\tseconds\na\tx\n', 'f.tsv')).toThrow(/f.tsv:2/);
    expect(() => parseDurations('test\tseconds\na\t-1\n', 'f.tsv')).toThrow(/f.tsv:2/);
    expect(() => parseDurations('test\tseconds\na\t1\na\t2\n', 'f.tsv')).toThrow(/duplicate/);
  });
});
