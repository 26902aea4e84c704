import { describe, expect, it } from 'vitest';
import { Runner, type RunnerEvent } from '../../src/index.js';
import { fakeTest } from '../../src/testing/index.js';
import { RogueSupervisor } from './rogue-supervisor.js';

const CONTRACT = 'exec rejected with something other than SupervisorDiedError';

describe('a custom supervisor that breaks the exec contract', () => {
  it('never settles exec: SupervisorContractError after timeout + grace, treated as a crash', async () => {
    const rogue = new RogueSupervisor('rogue', { exec: { 't/hang': 'never' } });
    const runner = new Runner({
      supervisors: [rogue],
      tests: [fakeTest('t/hang', { timeoutMs: 100 }), fakeTest('t/ok')],
      graceMs: 100,
      maxSupervisorRestarts: 2,
    });
    const died: RunnerEvent[] = [];
    runner.on((e) => {
      if (e.type === 'supervisor:died') died.push(e);
    });
    const summary = await runner.run();

    const hang = summary.results.find((r) => r.testId === 't/hang');
    expect(hang).toMatchObject({
      status: 'error',
      outcome: 'crashed',
      reschedules: 1,
      summary: expect.stringMatching(/^killed its supervisor 2 times \(supervisor died: /),
    });
    expect(hang?.attempts[0]?.summary).toBe(
      'supervisor died: rogue: exec did not settle within 200ms',
    );
    expect(summary.results.find((r) => r.testId === 't/ok')?.status).toBe('pass');
    expect(died).toHaveLength(2);
    expect(died[0]).toMatchObject({ testId: 't/hang', reason: expect.stringContaining('settle') });
  });

  it('ignores the abort of a cancelled run: canceled after the grace period', async () => {
    const rogue = new RogueSupervisor('rogue', { exec: { 't/hang': 'never' } });
    const controller = new AbortController();
    const runner = new Runner({
      supervisors: [rogue],
      tests: [fakeTest('t/hang'), fakeTest('t/next')],
      graceMs: 100,
      signal: controller.signal,
    });
    runner.on((e) => {
      if (e.type === 'test:started') setTimeout(() => controller.abort(), 50);
    });
    const summary = await runner.run();

    expect(summary.canceled).toBe(true);
    expect(summary.results).toHaveLength(1);
    expect(summary.results[0]).toMatchObject({ testId: 't/hang', outcome: 'canceled' });
    expect(summary.unfinished).toEqual(['t/next']);
    expect(rogue.stops).toBeGreaterThan(0);
  });

  it('resolves exec long after its signal aborted: not waited for beyond the grace period', async () => {
    const rogue = new RogueSupervisor('rogue', { exec: { 't/late': 'late' }, lateMs: 2_000 });
    const controller = new AbortController();
    const runner = new Runner({
      supervisors: [rogue],
      tests: [fakeTest('t/late')],
      graceMs: 100,
      signal: controller.signal,
    });
    runner.on((e) => {
      if (e.type === 'test:started') setTimeout(() => controller.abort(), 50);
    });
    const t0 = performance.now();
    const summary = await runner.run();

    expect(performance.now() - t0).toBeLessThan(1_500);
    expect(summary.results[0]).toMatchObject({ outcome: 'canceled', canceled: true });
  });

  it('resolves an aborted exec as if it completed: taken as a completed attempt', async () => {
    const rogue = new RogueSupervisor('rogue', { exec: { 't/odd': 'uncanceled' } });
    const controller = new AbortController();
    const runner = new Runner({
      supervisors: [rogue],
      tests: [fakeTest('t/odd')],
      signal: controller.signal,
    });
    runner.on((e) => {
      if (e.type === 'test:started') setTimeout(() => controller.abort(), 50);
    });
    const summary = await runner.run();

    // The runner cannot tell this from a command that finished as the cancel arrived.
    expect(summary.canceled).toBe(true);
    expect(summary.results[0]).toMatchObject({ outcome: 'completed', status: 'pass' });
  });

  it('rejects exec with a plain Error: SupervisorContractError, restarted and rescheduled', async () => {
    const rogue = new RogueSupervisor('rogue', { exec: { 't/bad': 'reject-plain' } });
    const runner = new Runner({
      supervisors: [rogue],
      tests: [fakeTest('t/bad'), fakeTest('t/ok')],
      maxSupervisorRestarts: 3,
    });
    const summary = await runner.run();

    const bad = summary.results.find((r) => r.testId === 't/bad');
    expect(bad).toMatchObject({
      status: 'error',
      reschedules: 2,
      summary: expect.stringMatching(/^killed its supervisor 3 times \(supervisor died: /),
    });
    expect(bad?.attempts).toHaveLength(3);
    // The last attempt's summary becomes the verdict; the earlier ones keep the named error.
    for (const attempt of bad?.attempts.slice(0, -1) ?? []) {
      expect(attempt).toMatchObject({ outcome: 'crashed', status: 'error' });
      expect(attempt.summary).toBe(
        `supervisor died: rogue: ${CONTRACT}: cannot read properties of undefined`,
      );
    }
    expect(rogue.starts).toBe(4);
    expect(summary.results.find((r) => r.testId === 't/ok')?.status).toBe('pass');
  });
});
