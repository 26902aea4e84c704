import { describe, expect, it } from 'vitest';
import { fakeTest } from '../../src/testing/fake-test.js';
import { fakes, ofType, resultOf, runRecorded, tests } from './helpers.js';

describe('Runner retries', () => {
  it('retries a failed test up to N times and marks a later pass as flaky', async () => {
    const sups = fakes([{ commands: { 't/0': [{ exitCode: 1 }, { exitCode: 1 }, {}] } }]);
    const { summary, events } = await runRecorded({
      supervisors: sups,
      tests: tests(2),
      retryFailures: 2,
    });
    const final = resultOf(summary, 't/0');
    expect(final).toMatchObject({ status: 'pass', retries: 2, flaky: true, attempt: 3 });
    expect(final.attempts.map((a) => a.status)).toEqual(['fail', 'fail', 'pass']);
    expect(ofType(events, 'test:retried').map((e) => e.result.attempt)).toEqual([1, 2]);
    const t0 = events.filter((e) => 'testId' in e || 'result' in e).map((e) => e.type);
    expect(t0.filter((t) => t === 'test:finished')).toHaveLength(2);
  });

  it('stops retrying after N and reports the last failure', async () => {
    const sups = fakes([{ commands: { 't/0': { exitCode: 2, stderr: 'bad' } } }]);
    const { summary } = await runRecorded({ supervisors: sups, tests: tests(1), retryFailures: 1 });
    expect(resultOf(summary, 't/0')).toMatchObject({
      status: 'fail',
      summary: 'bad',
      retries: 1,
      flaky: false,
    });
    expect(resultOf(summary, 't/0').attempts).toHaveLength(2);
  });

  it('does not retry passes, skips or crashes', async () => {
    const sups = fakes([{ commands: { 't/1': { exitCode: 77 }, 't/2': [{ crash: true }, {}] } }]);
    const { events } = await runRecorded({ supervisors: sups, tests: tests(3), retryFailures: 3 });
    expect(ofType(events, 'test:retried')).toEqual([]);
  });
});

describe('Runner per-test timeout', () => {
  it('records error with timedOut whatever evaluate says, then probes before the next test', async () => {
    const sups = fakes([{ commands: { 'slow/1': { hang: true } } }]);
    let probed = 0;
    const sup = sups[0];
    if (!sup) throw new Error('no fake');
    const probe = sup.probe.bind(sup);
    sup.probe = (o) => {
      probed++;
      return probe(o);
    };
    const { summary, events } = await runRecorded({
      supervisors: sups,
      tests: [fakeTest('slow/1', { timeoutMs: 30 }), fakeTest('fast/1')],
    });
    expect(resultOf(summary, 'slow/1')).toMatchObject({
      status: 'error',
      timedOut: true,
      summary: 'timed out after 30ms',
      outcome: 'completed',
    });
    expect(probed).toBe(1);
    expect(ofType(events, 'supervisor:died')).toEqual([]);
    expect(resultOf(summary, 'fast/1').status).toBe('pass');
  });

  it('uses the runner testTimeoutMs and restarts a supervisor that fails the probe after a timeout', async () => {
    const sups = fakes([{ commands: { 't/0': { hang: true } }, probes: [false, false, false] }]);
    const { summary, events } = await runRecorded({
      supervisors: sups,
      tests: tests(2),
      testTimeoutMs: 1200,
      probeTimeoutMs: 10,
      probeRetries: 2,
      probeRetryIntervalMs: 5,
    });
    expect(resultOf(summary, 't/0')).toMatchObject({
      status: 'error',
      timedOut: true,
      reschedules: 0,
    });
    expect(resultOf(summary, 't/0').summary).toBe('timed out after 1.2s');
    expect(ofType(events, 'supervisor:died')[0]?.reason).toMatch(/after a test timed out/);
    expect(ofType(events, 'supervisor:restarted')).toHaveLength(1);
    expect(resultOf(summary, 't/1').status).toBe('pass');
  }, 10_000);

  it('retries a timed-out attempt when retryFailures allows', async () => {
    const sups = fakes([{ commands: { 't/0': [{ hang: true }, {}] } }]);
    const { summary } = await runRecorded({
      supervisors: sups,
      tests: tests(1),
      testTimeoutMs: 20,
      retryFailures: 1,
    });
    expect(resultOf(summary, 't/0')).toMatchObject({ status: 'pass', flaky: true, retries: 1 });
  });
});
