import { describe, expect, it } from 'vitest';
import { NoSupervisorStartedError } from '../../src/errors.js';
import { Runner } from '../../src/runner/runner.js';
import { fakes, ofType, runRecorded, tests } from './helpers.js';

describe('Runner supervisor start', () => {
  it('drops a supervisor that fails to start and goes on with the others', async () => {
    const sups = fakes([{ start: { fail: 'no kvm' } }, {}]);
    const { summary, events } = await runRecorded({ supervisors: sups, tests: tests(4) });
    expect(summary.counts.pass).toBe(4);
    const [failed] = ofType(events, 'supervisor:failed');
    expect(failed).toMatchObject({ supervisor: 'fake-0' });
    expect(failed?.error).toMatchObject({
      code: 'ERR_SUPERVISOR_START',
      message: 'fake-0: no kvm',
    });
    expect(summary.supervisors[0]).toMatchObject({ started: false, attempts: 0 });
    expect(summary.supervisors[0]?.error?.message).toBe('fake-0: no kvm');
    expect(
      ofType(events, 'supervisor:stopped')
        .map((e) => e.supervisor)
        .sort(),
    ).toEqual(['fake-0', 'fake-1']);
    expect(sups.every((s) => !s.running)).toBe(true);
  });

  it('enforces the start timeout itself on a start that never settles', async () => {
    const sups = fakes([{ start: { never: true } }, { default: { durationMs: 100 } }]);
    const { summary, events } = await runRecorded({
      supervisors: sups,
      tests: tests(2),
      startTimeoutMs: 50,
    });
    expect(summary.counts.pass).toBe(2);
    const [failed] = ofType(events, 'supervisor:failed');
    expect(failed?.error).toMatchObject({ code: 'ERR_SUPERVISOR_START_TIMEOUT', timeoutMs: 50 });
    expect(sups[0]?.running).toBe(false);
  });

  it('rejects with NoSupervisorStartedError listing every start error, and stops all', async () => {
    const sups = fakes([{ start: { fail: 'first broke' } }, { start: { never: true } }]);
    const runner = new Runner({
      supervisors: sups,
      tests: tests(3),
      startTimeoutMs: 30,
      probeIntervalMs: 0,
    });
    const stopped: string[] = [];
    runner.on((e) => {
      if (e.type === 'supervisor:stopped') stopped.push(e.supervisor);
    });
    const error = await runner.run().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(NoSupervisorStartedError);
    if (!(error instanceof NoSupervisorStartedError)) return;
    expect(error.code).toBe('ERR_NO_SUPERVISOR_STARTED');
    expect(error.errors).toHaveLength(2);
    expect(error.message).toContain('first broke');
    expect(error.message).toContain('did not become ready');
    expect(stopped.sort()).toEqual(['fake-0', 'fake-1']);
    expect(sups.every((s) => !s.running)).toBe(true);
  });

  it('does not wait for a slow start once every test is done', async () => {
    const sups = fakes([{}, { start: { delayMs: 10_000 } }]);
    const t0 = Date.now();
    const { summary, events } = await runRecorded({ supervisors: sups, tests: tests(2) });
    expect(Date.now() - t0).toBeLessThan(2_000);
    expect(summary.counts.pass).toBe(2);
    expect(ofType(events, 'supervisor:failed')).toEqual([]);
    expect(sups[1]?.running).toBe(false);
  });

  it('reports a supervisor whose stop throws and still resolves', async () => {
    const sups = fakes([{ stopFails: 'disk busy' }]);
    const { summary, events } = await runRecorded({ supervisors: sups, tests: tests(1) });
    expect(summary.counts.pass).toBe(1);
    const [stopped] = ofType(events, 'supervisor:stopped');
    expect(stopped?.error).toMatchObject({ code: 'ERR_SUPERVISOR_STOP' });
    expect(stopped?.error?.message).toContain('disk busy');
    expect(events.at(-1)?.type).toBe('run:finished');
  });
});
