import { describe, expect, it } from 'vitest';
import {
  NoSupervisorStartedError,
  Runner,
  type RunnerEvent,
  SupervisorContractError,
  SupervisorStartError,
  SupervisorStartTimeoutError,
  SupervisorStopError,
} from '../../src/index.js';
import { fakeTest } from '../../src/testing/index.js';
import { RogueSupervisor } from './rogue-supervisor.js';

const tests = () => ['t/1', 't/2', 't/3'].map((id) => fakeTest(id));

describe('a custom supervisor that breaks the start/stop contract', () => {
  it('never resolves start: the runner times it out and carries on with the others', async () => {
    const hung = new RogueSupervisor('hung', { start: 'never' });
    // Busy long enough for the hung start to reach its timeout before the queue drains.
    const good = new RogueSupervisor('good', { okMs: 100 });
    const runner = new Runner({ supervisors: [hung, good], tests: tests(), startTimeoutMs: 150 });
    const events: RunnerEvent[] = [];
    runner.on((e) => events.push(e));
    const summary = await runner.run();

    expect(summary.counts).toEqual({ pass: 3, fail: 0, skip: 0, error: 0 });
    expect(good.execs).toEqual(['t/1', 't/2', 't/3']);
    const report = summary.supervisors.find((s) => s.name === 'hung');
    expect(report?.started).toBe(false);
    expect(report?.error).toBeInstanceOf(SupervisorStartTimeoutError);
    expect(report?.error).toMatchObject({ code: 'ERR_SUPERVISOR_START_TIMEOUT', timeoutMs: 150 });
    const failed = events.find((e) => e.type === 'supervisor:failed');
    expect(failed).toMatchObject({ supervisor: 'hung' });
    expect(hung.stops).toBeGreaterThan(0);
  });

  it('when none starts: NoSupervisorStartedError naming each start error', async () => {
    const hung = new RogueSupervisor('hung', { start: 'never' });
    const broken = new RogueSupervisor('broken', { start: 'throw-plain' });
    const runner = new Runner({ supervisors: [hung, broken], tests: tests(), startTimeoutMs: 150 });
    const error = await runner.run().then(
      () => undefined,
      (e: unknown) => e,
    );

    expect(error).toBeInstanceOf(NoSupervisorStartedError);
    if (!(error instanceof NoSupervisorStartedError)) return;
    expect(error.code).toBe('ERR_NO_SUPERVISOR_STARTED');
    const [timeout, thrown] = error.errors;
    expect(timeout).toBeInstanceOf(SupervisorStartTimeoutError);
    // A plain Error from a third-party start is wrapped in a named error, cause kept.
    expect(thrown).toBeInstanceOf(SupervisorStartError);
    expect(thrown?.cause).toBeInstanceOf(Error);
    expect(thrown?.message).toBe('broken: boot loader exploded');
    expect(hung.execs).toEqual([]);
    expect(broken.execs).toEqual([]);
  });

  it('throws in stop: reported as SupervisorStopError, the run still resolves', async () => {
    const rogue = new RogueSupervisor('rogue', { stop: 'throw' });
    const runner = new Runner({ supervisors: [rogue], tests: tests() });
    const stopped: RunnerEvent[] = [];
    runner.on((e) => {
      if (e.type === 'supervisor:stopped') stopped.push(e);
    });
    const summary = await runner.run();

    expect(summary.counts.pass).toBe(3);
    expect(stopped).toHaveLength(1);
    const event = stopped[0];
    if (event?.type !== 'supervisor:stopped') throw new Error('no supervisor:stopped event');
    expect(event.error).toBeInstanceOf(SupervisorStopError);
    expect(event.error).toMatchObject({
      code: 'ERR_SUPERVISOR_STOP',
      message: 'rogue: stop failed: teardown exploded',
    });
  });

  it('never settles stop: SupervisorContractError after stopTimeoutMs, the run still resolves', async () => {
    const stuck = new RogueSupervisor('stuck', { stop: 'never' });
    const runner = new Runner({ supervisors: [stuck], tests: tests(), stopTimeoutMs: 100 });
    const events: RunnerEvent[] = [];
    runner.on((e) => events.push(e));
    const summary = await runner.run();
    expect(summary.counts.pass).toBe(3);
    const stopped = events.find((e) => e.type === 'supervisor:stopped');
    expect(stopped).toMatchObject({ supervisor: 'stuck' });
    expect(stopped?.type === 'supervisor:stopped' ? stopped.error : undefined).toBeInstanceOf(
      SupervisorContractError,
    );
    expect(stopped?.type === 'supervisor:stopped' ? stopped.error?.message : '').toMatch(
      /stop did not settle within 0\.1s/,
    );
  });

  it('throws in stop while being restarted after a crash: restarted all the same', async () => {
    const rogue = new RogueSupervisor('rogue', {
      stop: 'throw',
      exec: { 't/2': 'reject-plain' },
    });
    const runner = new Runner({ supervisors: [rogue], tests: tests(), maxSupervisorRestarts: 2 });
    const summary = await runner.run();

    // A rescheduled test goes back to the front of the queue.
    expect(summary.results.map((r) => [r.testId, r.status])).toEqual([
      ['t/1', 'pass'],
      ['t/2', 'error'],
      ['t/3', 'pass'],
    ]);
    expect(summary.supervisors[0]?.restarts).toBe(2);
    expect(rogue.starts).toBe(3);
  });
});
