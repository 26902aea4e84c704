import { describe, expect, it } from 'vitest';
import { simulateBatched } from '../../bench/batch-sim.js';

const tests = (ms: readonly number[]) => ms.map((d, i) => ({ id: `t/${i}`, ms: d }));
const options = { startupMs: 1000, targetMs: Number.POSITIVE_INFINITY, maxTests: 100 };

describe('simulateBatched', () => {
  it('pays one start-up per dispatch and never beats the lower bound', () => {
    const queue = tests(Array.from({ length: 40 }, () => 1000));
    const run = simulateBatched(queue, { ...options, workers: 4 });
    expect(run.makespanMs).toBeGreaterThanOrEqual(10_000 + 1000);
    expect(run.makespanMs).toBeLessThan(40 * 2000); // far below one start-up per test
    expect(run.dispatches).toBeGreaterThanOrEqual(4);
  });

  it('runs a test longer than the budget alone', () => {
    const run = simulateBatched(tests([100_000, 1000, 1000]), { ...options, workers: 2 });
    expect(run.makespanMs).toBe(101_000);
    expect(run.dispatches).toBe(2);
  });

  it('uses the real durations when given', () => {
    const run = simulateBatched(tests([1000]), { ...options, workers: 1, actualMs: () => 5000 });
    expect(run.makespanMs).toBe(6000);
  });
});
