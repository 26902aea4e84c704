import { describe, expect, it } from 'vitest';
import type { RunnerEvent } from '../../src/events.js';
import { Runner } from '../../src/runner/runner.js';
import { fakes, ofType, resultOf, tests } from './helpers.js';

describe('Runner cancellation', () => {
  it('cancels running tests, leaves queued ones unfinished and stops every supervisor', async () => {
    const sups = fakes([{ default: { hang: true } }, { default: { hang: true } }]);
    const controller = new AbortController();
    const runner = new Runner({
      supervisors: sups,
      tests: tests(5),
      signal: controller.signal,
      probeIntervalMs: 0,
    });
    const events: RunnerEvent[] = [];
    runner.on((e) => {
      events.push(e);
      if (ofType(events, 'test:started').length === 2 && e.type === 'test:started') {
        setTimeout(() => controller.abort(), 10);
      }
    });
    const summary = await runner.run();
    expect(summary.canceled).toBe(true);
    expect(summary.results).toHaveLength(2);
    for (const r of summary.results) {
      expect(r).toMatchObject({
        outcome: 'canceled',
        status: 'error',
        canceled: true,
        summary: 'canceled',
      });
    }
    expect(summary.unfinished).toEqual(['t/2', 't/3', 't/4']);
    expect(ofType(events, 'supervisor:stopped')).toHaveLength(2);
    expect(events.at(-1)?.type).toBe('run:finished');
    expect(sups.every((s) => !s.running)).toBe(true);
  });

  it('resolves at once with everything unfinished when the signal is already aborted', async () => {
    const sups = fakes([{}]);
    const runner = new Runner({ supervisors: sups, tests: tests(3), signal: AbortSignal.abort() });
    const summary = await runner.run();
    expect(summary).toMatchObject({
      canceled: true,
      results: [],
      unfinished: ['t/0', 't/1', 't/2'],
    });
    expect(sups[0]?.running).toBe(false);
  });

  it('cancels supervisors that are still starting without calling it a start failure', async () => {
    const sups = fakes([{ start: { delayMs: 5_000 } }]);
    const runner = new Runner({
      supervisors: sups,
      tests: tests(1),
      signal: AbortSignal.timeout(30),
    });
    const events: RunnerEvent[] = [];
    runner.on((e) => events.push(e));
    const summary = await runner.run();
    expect(summary).toMatchObject({ canceled: true, unfinished: ['t/0'] });
    expect(ofType(events, 'supervisor:failed')).toEqual([]);
    expect(sups[0]?.running).toBe(false);
  });

  it('does not hang on an exec that ignores its signal: grace, then SupervisorContractError', async () => {
    const sups = fakes([{ default: { ignoreAbort: true } }]);
    const controller = new AbortController();
    const runner = new Runner({
      supervisors: sups,
      tests: tests(2),
      signal: controller.signal,
      graceMs: 30,
      probeIntervalMs: 0,
    });
    runner.on((e) => {
      if (e.type === 'test:started') setTimeout(() => controller.abort(), 5);
    });
    const t0 = Date.now();
    const summary = await runner.run();
    expect(Date.now() - t0).toBeLessThan(1_000);
    expect(resultOf(summary, 't/0')).toMatchObject({ outcome: 'canceled', canceled: true });
    expect(summary.unfinished).toEqual(['t/1']);
    expect(sups[0]?.running).toBe(false);
  });

  it('treats a dead-signalled exec that never settles as a crash after the grace period', async () => {
    const sups = fakes([{ commands: { 't/0': [{ ignoreAbort: true, dieSilently: true }, {}] } }]);
    const runner = new Runner({
      supervisors: sups,
      tests: tests(1),
      graceMs: 20,
      probeIntervalMs: 10,
      probeTimeoutMs: 10,
      probeRetryIntervalMs: 5,
    });
    const events: RunnerEvent[] = [];
    runner.on((e) => events.push(e));
    const summary = await runner.run();
    expect(resultOf(summary, 't/0').status).toBe('pass');
    expect(ofType(events, 'test:rescheduled')[0]?.result.summary).toMatch(
      /did not settle within 20ms after its signal aborted/,
    );
  });
});

describe('Runner keepAlive', () => {
  it('emits run:finished, keeps supervisors up until the signal aborts, then stops them', async () => {
    const sups = fakes([{}, {}]);
    const controller = new AbortController();
    const runner = new Runner({
      supervisors: sups,
      tests: tests(3),
      keepAlive: true,
      signal: controller.signal,
      probeIntervalMs: 0,
    });
    const events: RunnerEvent[] = [];
    let upAtFinish = false;
    runner.on((e) => {
      events.push(e);
      if (e.type === 'run:finished') {
        upAtFinish = sups.every((s) => s.state === 'ready');
        setTimeout(() => controller.abort(), 20);
      }
    });
    const summary = await runner.run();
    expect(upAtFinish).toBe(true);
    expect(summary).toMatchObject({ canceled: false, unfinished: [] });
    expect(summary.counts.pass).toBe(3);
    const types = events.map((e) => e.type);
    expect(types.indexOf('run:finished')).toBeLessThan(types.indexOf('supervisor:stopped'));
    expect(sups.every((s) => !s.running)).toBe(true);
  });
});
