import { describe, expect, it } from 'vitest';
import type { RunnerEvent } from '../../src/events.js';
import { Runner } from '../../src/runner/runner.js';
import { FakeLedger } from '../../src/testing/ledger.js';
import { fakes, ofType, resultOf, runRecorded, tests } from './helpers.js';

describe('Runner crash handling', () => {
  it('reschedules the test of a crashed supervisor, with evidence, and restarts it', async () => {
    const sups = fakes([{ commands: { 't/0': [{ crash: true, evidence: 'Kernel panic' }, {}] } }]);
    const { summary, events } = await runRecorded({ supervisors: sups, tests: tests(3) });
    const [rescheduled] = ofType(events, 'test:rescheduled');
    expect(rescheduled?.result).toMatchObject({
      testId: 't/0',
      status: 'error',
      outcome: 'crashed',
      crashEvidence: 'Kernel panic',
      attempt: 1,
    });
    expect(ofType(events, 'supervisor:died')[0]).toMatchObject({
      supervisor: 'fake-0',
      testId: 't/0',
    });
    expect(ofType(events, 'supervisor:restarted')).toEqual([
      { type: 'supervisor:restarted', supervisor: 'fake-0', restarts: 1 },
    ]);
    const final = resultOf(summary, 't/0');
    expect(final).toMatchObject({
      status: 'pass',
      attempt: 2,
      reschedules: 1,
      retries: 0,
      flaky: false,
    });
    expect(final.attempts.map((a) => a.outcome)).toEqual(['crashed', 'completed']);
    expect(summary.counts.pass).toBe(3);
    expect(summary.supervisors[0]).toMatchObject({ deaths: 1, restarts: 1, attempts: 4 });
    expect(sups[0]?.starts).toBe(2);
  });

  it('puts the test back at the front of the queue', async () => {
    const ledger = new FakeLedger();
    const sups = fakes([{ commands: { 't/1': [{ crash: true }, {}] } }], ledger);
    await runRecorded({ supervisors: sups, tests: tests(4) });
    expect(ledger.execs.map((e) => e.command)).toEqual(['t/0', 't/1', 't/1', 't/2', 't/3']);
  });

  it('gives up on a test that killed its supervisor maxSupervisorRestarts times', async () => {
    const sups = fakes([
      { commands: { 't/0': { crash: true } } },
      { commands: { 't/0': { crash: true } } },
    ]);
    const { summary, events } = await runRecorded({
      supervisors: sups,
      tests: tests(3),
      maxSupervisorRestarts: 2,
    });
    const final = resultOf(summary, 't/0');
    expect(final).toMatchObject({
      status: 'error',
      outcome: 'crashed',
      summary: expect.stringMatching(/^killed its supervisor 2 times \(supervisor died: /),
      reschedules: 1,
    });
    expect(final.attempts).toHaveLength(2);
    expect(ofType(events, 'test:rescheduled')).toHaveLength(1);
    expect(summary.counts).toEqual({ pass: 2, fail: 0, skip: 0, error: 1 });
  });

  it('drops a supervisor that cannot be restarted; its test goes to another', async () => {
    const sups = fakes([
      { start: [{}, { fail: 'image gone' }], commands: { 't/0': { crash: true } } },
      { start: { delayMs: 20 } },
    ]);
    const { summary, events } = await runRecorded({ supervisors: sups, tests: tests(2) });
    expect(ofType(events, 'supervisor:failed')[0]).toMatchObject({ supervisor: 'fake-0' });
    expect(resultOf(summary, 't/0')).toMatchObject({ status: 'pass', supervisor: 'fake-1' });
    expect(summary.counts.pass).toBe(2);
    expect(summary.supervisors[0]).toMatchObject({ started: true, deaths: 1, restarts: 0 });
    expect(sups.every((s) => !s.running)).toBe(true);
  });

  it('resolves with unfinished tests when every supervisor left the run', async () => {
    const sups = fakes([{ start: [{}, { fail: 'gone' }], commands: { 't/1': { crash: true } } }]);
    const { summary, events } = await runRecorded({ supervisors: sups, tests: tests(4) });
    expect(summary.results.map((r) => r.testId)).toEqual(['t/0']);
    expect(summary.unfinished).toEqual(['t/1', 't/2', 't/3']);
    expect(summary.canceled).toBe(false);
    expect(ofType(events, 'test:rescheduled')).toHaveLength(1);
    expect(sups[0]?.running).toBe(false);
  });

  it('detects a silent death while busy by probing and aborts the command', async () => {
    const sups = fakes([{ commands: { 't/0': [{ dieSilently: true }, {}] } }]);
    const { summary, events } = await runRecorded({
      supervisors: sups,
      tests: tests(2),
      probeIntervalMs: 20,
      probeTimeoutMs: 20,
      probeRetryIntervalMs: 5,
    });
    const [rescheduled] = ofType(events, 'test:rescheduled');
    expect(rescheduled?.result).toMatchObject({ testId: 't/0', outcome: 'crashed' });
    expect(rescheduled?.result.summary).toMatch(/liveness probes/);
    expect(summary.counts.pass).toBe(2);
    expect(sups[0]?.starts).toBe(2);
  });

  it('restarts a supervisor that dies while idle', async () => {
    const sups = fakes([{ default: { durationMs: 150 } }, { start: { delayMs: 10 } }]);
    const runner = new Runner({
      supervisors: sups,
      tests: tests(1),
      probeIntervalMs: 10,
      probeTimeoutMs: 10,
      probeRetryIntervalMs: 5,
      runId: 'idle',
    });
    const events: RunnerEvent[] = [];
    runner.on((e) => {
      events.push(e);
      if (e.type === 'supervisor:ready' && e.supervisor === 'fake-1') sups[1]?.kill();
    });
    const summary = await runner.run();
    expect(resultOf(summary, 't/0')).toMatchObject({ status: 'pass', supervisor: 'fake-0' });
    const [died] = ofType(events, 'supervisor:died');
    expect(died).toMatchObject({ supervisor: 'fake-1' });
    expect(died?.testId).toBeUndefined();
    expect(ofType(events, 'supervisor:restarted')[0]).toMatchObject({ supervisor: 'fake-1' });
    expect(sups[1]?.starts).toBe(2);
  });
});
