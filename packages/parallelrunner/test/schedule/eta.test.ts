import { describe, expect, it } from 'vitest';
import { type EtaInput, estimateRemainingMs } from '../../src/schedule/eta.js';

const durations = new Map([
  ['a', 1000],
  ['b', 3000],
  ['c', 2000],
  ['long', 60_000],
]);

function eta(input: Partial<EtaInput>): number | undefined {
  return estimateRemainingMs({ queued: [], workers: [], durations, startupsMs: [], ...input });
}

const idle = { state: 'idle' } as const;

describe('estimateRemainingMs', () => {
  it('hands queued tests, in order, to whichever supervisor is free first', () => {
    expect(eta({ queued: ['a', 'b', 'c'], workers: [idle, idle] })).toBe(3000);
    expect(eta({ queued: ['a', 'b', 'c'], workers: [idle] })).toBe(6000);
    expect(eta({ queued: ['a', 'long'], workers: Array(10).fill(idle) })).toBe(60_000);
    // in order, not optimally: a long test handed out last ends last
    expect(eta({ queued: ['a', 'b', 'long'], workers: [idle, idle] })).toBe(61_000);
  });

  it('counts the remaining time of running tests', () => {
    const running = { state: 'running', testId: 'long', elapsedMs: 50_000 } as const;
    expect(eta({ workers: [running] })).toBe(10_000);
    expect(eta({ queued: ['b'], workers: [running, idle] })).toBe(10_000);
    expect(eta({ queued: ['b', 'b', 'b', 'b'], workers: [running, idle] })).toBe(12_000);
    // a test running longer than expected is about to end, not negative
    expect(eta({ workers: [{ state: 'running', testId: 'a', elapsedMs: 5000 }] })).toBe(0);
  });

  it('counts the start-up time of supervisors still booting, from the start-ups seen', () => {
    // With history, a 30 s boot: no ETA until one supervisor has started...
    const booting = { state: 'starting', elapsedMs: 3000 } as const;
    expect(eta({ queued: ['a', 'b'], workers: [booting, booting] })).toBeUndefined();
    // ... then the others are expected to take as long.
    const w = [idle, { state: 'starting', elapsedMs: 25_000 } as const];
    expect(eta({ queued: ['b', 'b', 'b'], workers: w, startupsMs: [30_000] })).toBe(8000);
    expect(eta({ queued: ['long'], workers: [booting], startupsMs: [30_000] })).toBe(87_000);
  });

  it('estimates unknown tests as the median known duration; unknown until one is known', () => {
    // median of 1000, 2000, 3000, 60000 is 2500
    expect(eta({ queued: ['x', 'y', 'a'], workers: [idle] })).toBe(6000);
    // a first run: nothing known, then the first finished test gives the estimate
    const first = { queued: ['x', 'y'], workers: [idle], durations: new Map() };
    expect(eta(first)).toBeUndefined();
    expect(eta({ ...first, durations: new Map([['done', 4000]]) })).toBe(8000);
    const unknownRunning = { state: 'running', testId: 'x', elapsedMs: 1 } as const;
    expect(eta({ workers: [unknownRunning], durations: new Map() })).toBeUndefined();
  });

  it('is 0 with nothing left, unknown with work and no supervisor left', () => {
    expect(eta({ workers: [idle, idle] })).toBe(0);
    expect(eta({})).toBe(0);
    expect(eta({ queued: ['a'], workers: [] })).toBeUndefined();
  });
});
