import { describe, expect, it } from 'vitest';
import { batchBudgetMs, planBatch } from '../../src/batch/plan.js';

const item = (estimateMs: number | undefined, key: string | undefined = 'k') => ({
  key,
  estimateMs,
});
const limits = { budgetMs: 10, maxTests: 100, maxScan: 100 };

describe('batchBudgetMs', () => {
  it('is 70% of a worker share while the start-up is unknown or small against it', () => {
    const input = { pendingMs: 4000, workers: 4, targetMs: Number.POSITIVE_INFINITY };
    expect(batchBudgetMs({ ...input, startupMs: 0 })).toBeCloseTo(700);
    expect(batchBudgetMs({ ...input, startupMs: 10 })).toBeCloseTo(700);
  });

  it('keeps less back once a share is under 20 start-ups: rounds cost more than they balance', () => {
    const input = { pendingMs: 4000, workers: 4, targetMs: Number.POSITIVE_INFINITY };
    // share 1000 ms = 10 start-ups of 100 ms: half the reserve.
    expect(batchBudgetMs({ ...input, startupMs: 100 })).toBeCloseTo(850);
    expect(batchBudgetMs({ ...input, startupMs: 1000 })).toBeCloseTo(985);
  });

  it('is capped by the target length and treats no worker as one', () => {
    expect(batchBudgetMs({ pendingMs: 1e6, workers: 1, targetMs: 500, startupMs: 0 })).toBe(500);
    expect(batchBudgetMs({ pendingMs: 100, workers: 0, targetMs: 1e9, startupMs: 0 })).toBe(70);
  });
});

describe('planBatch', () => {
  it('runs an unknown, unbatchable or long head alone', () => {
    expect(planBatch([item(undefined), item(1)], limits)).toEqual([0]);
    expect(planBatch([{ key: undefined, estimateMs: 1 }, item(1)], limits)).toEqual([0]);
    expect(planBatch([item(10), item(1)], limits)).toEqual([0]);
    expect(planBatch([], limits)).toEqual([]);
  });

  it('fills up to the budget with tests of the head key, passing over what does not fit', () => {
    const items = [item(4), item(5), item(1, 'other'), item(2), item(undefined), item(0), item(1)];
    expect(planBatch(items, limits)).toEqual([0, 1, 5, 6]);
  });

  it('stops at maxTests and looks no further than maxScan', () => {
    const items = Array.from({ length: 10 }, () => item(0));
    expect(planBatch(items, { ...limits, maxTests: 3 })).toEqual([0, 1, 2]);
    expect(planBatch(items, { ...limits, maxScan: 2 })).toEqual([0, 1, 2]);
  });

  it('asks canJoin for every candidate', () => {
    const items = [item(1), item(1), item(1), item(1)];
    const odd = (batch: readonly unknown[]) => batch.length % 2 === 1;
    expect(planBatch(items, limits, odd)).toEqual([0, 1]);
  });
});
