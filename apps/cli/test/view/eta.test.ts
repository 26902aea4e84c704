import { describe, expect, it } from 'vitest';
import { runEta } from '../../src/view/eta.js';
import { RunState } from '../../src/view/run-state.js';
import { result } from '../support/events.js';

describe('runEta', () => {
  const order = ['a', 'b', 'c', 'd'];
  const supervisors = ['vm-1', 'vm-2'];

  it('with history: unknown (ETA ?) while every VM boots, then counts the boot, the running test and the queue', () => {
    let now = 0;
    const state = new RunState(order.length, () => now);
    const history = new Map(order.map((id) => [id, 10_000]));
    now = 3000; // 3 s into a 30 s boot
    state.apply({ type: 'supervisor:starting', supervisor: 'vm-1', restart: false });
    state.apply({ type: 'supervisor:starting', supervisor: 'vm-2', restart: false });
    expect(runEta(state, supervisors, order, history, now)).toBeUndefined();
    now = 30_000;
    state.apply({ type: 'supervisor:ready', supervisor: 'vm-1', startupMs: 30_000 });
    state.apply({
      type: 'test:started',
      testId: 'a',
      attemptId: 'r-1',
      attempt: 1,
      supervisor: 'vm-1',
      startedAt: now,
    });
    // vm-1 runs a (10 s left), vm-2 boots 3 s more (30 s like vm-1): b and d go to vm-2
    // (3 + 10 + 10 s), c to vm-1 (10 + 10 s): 23 s.
    expect(runEta(state, supervisors, order, history, now)).toBe(23_000);
    // 4 s later: a has 6 s left, vm-2 is late and counted as ready now: b, d on vm-2 (20 s).
    now = 34_000;
    expect(runEta(state, supervisors, order, history, now)).toBe(20_000);
  });

  it('on a first run: unknown until a test finished, then its duration estimates the rest', () => {
    const now = 10_000;
    const state = new RunState(order.length, () => now);
    state.apply({ type: 'supervisor:starting', supervisor: 'vm-1', restart: false });
    state.apply({ type: 'supervisor:ready', supervisor: 'vm-1', startupMs: 5000 });
    expect(runEta(state, ['vm-1'], order, new Map(), now)).toBeUndefined();
    state.apply({ type: 'test:finished', result: result('a', 'pass', { durationMs: 2000 }) });
    expect(runEta(state, ['vm-1'], order, new Map(), now)).toBe(6000);
  });

  it('leaves dead supervisors out; nothing left is 0', () => {
    const state = new RunState(1, () => 0);
    state.apply({
      type: 'supervisor:failed',
      supervisor: 'vm-2',
      error: new Error('no KVM'),
    });
    state.apply({ type: 'supervisor:ready', supervisor: 'vm-1', startupMs: 1 });
    expect(runEta(state, supervisors, ['a'], new Map([['a', 5000]]), 0)).toBe(5000);
    state.apply({ type: 'test:finished', result: result('a', 'pass') });
    expect(runEta(state, supervisors, ['a'], new Map([['a', 5000]]), 0)).toBe(0);
  });
});
