import { describe, expect, it } from 'vitest';
import { Runner } from '../../src/runner/runner.js';
import type { Test } from '../../src/test.js';
import { fakeTest } from '../../src/testing/fake-test.js';
import { FakeLedger } from '../../src/testing/ledger.js';
import { fakes, resultOf, runRecorded, tests } from './helpers.js';

describe('Runner basics', () => {
  it('runs every test once over one shared queue, in the order given', async () => {
    const ledger = new FakeLedger();
    const sups = fakes([{}, {}, {}], ledger);
    const { summary } = await runRecorded({ supervisors: sups, tests: tests(30) });
    expect(summary.counts).toEqual({ pass: 30, fail: 0, skip: 0, error: 0 });
    expect(summary.unfinished).toEqual([]);
    expect(ledger.execs.map((e) => e.command)).toEqual(tests(30).map((t) => t.id));
    expect(ledger.overlaps).toEqual([]);
    expect(summary.supervisors.reduce((n, s) => n + s.attempts, 0)).toBe(30);
    expect(sups.every((s) => !s.running)).toBe(true);
  });

  it('lets a fast supervisor take more tests (work stealing)', async () => {
    const sups = fakes([{ default: { durationMs: 1 } }, { default: { durationMs: 15 } }]);
    const { summary } = await runRecorded({ supervisors: sups, tests: tests(20) });
    const [fast, slow] = summary.supervisors;
    expect(fast?.attempts).toBeGreaterThan(slow?.attempts ?? 0);
    expect(summary.counts.pass).toBe(20);
  });

  it('starts testing on a ready supervisor before a slow one is up', async () => {
    const sups = fakes([{}, { start: { delayMs: 200 } }]);
    const { summary, events } = await runRecorded({ supervisors: sups, tests: tests(5) });
    const firstStart = events.findIndex((e) => e.type === 'test:started');
    const slowReady = events.findIndex(
      (e) => e.type === 'supervisor:ready' && e.supervisor === 'fake-1',
    );
    expect(firstStart).toBeGreaterThanOrEqual(0);
    expect(slowReady === -1 || firstStart < slowReady).toBe(true);
    expect(summary.counts.pass).toBe(5);
  });

  it('hands the output tails to evaluate and records fail/skip verdicts', async () => {
    const sups = fakes([
      {
        commands: {
          'a/fail': { exitCode: 1, stderr: 'boom\nmore' },
          'a/skip': { exitCode: 77, stdout: 'no xfs' },
          'a/big': { stdout: `${'x'.repeat(100)}END` },
        },
      },
    ]);
    let seen = '';
    const big: Test = {
      ...fakeTest('a/big'),
      evaluate: (run) => {
        seen = run.stdout;
        return { status: run.outputTruncated ? 'pass' : 'fail', summary: '' };
      },
    };
    const { summary } = await runRecorded({
      supervisors: sups,
      tests: [fakeTest('a/fail'), fakeTest('a/skip'), big],
      outputTailBytes: 10,
    });
    expect(resultOf(summary, 'a/fail')).toMatchObject({
      status: 'fail',
      summary: 'boom',
      exitCode: 1,
    });
    expect(resultOf(summary, 'a/skip')).toMatchObject({ status: 'skip', summary: 'no xfs' });
    expect(seen).toBe('xxxxxxxEND');
    expect(resultOf(summary, 'a/big').status).toBe('pass');
    expect(summary.counts).toEqual({ pass: 1, fail: 1, skip: 1, error: 0 });
  });

  it('emits events in order and run:finished last; listener errors never break the run', async () => {
    const runner = new Runner({
      supervisors: fakes([{}, {}]),
      tests: tests(6),
      probeIntervalMs: 0,
    });
    const types: string[] = [];
    runner.on(() => {
      throw new Error('bad listener');
    });
    const off = runner.on((e) => types.push(e.type));
    const summary = await runner.run();
    off();
    expect(summary.counts.pass).toBe(6);
    expect(types.at(-1)).toBe('run:finished');
    expect(types.filter((t) => t === 'test:finished')).toHaveLength(6);
    expect(types.filter((t) => t === 'supervisor:stopped')).toHaveLength(2);
    expect(types.indexOf('supervisor:starting')).toBe(0);
  });

  it('records a test contract violation as an error attempt', async () => {
    const badCommand: Test = {
      ...fakeTest('c/cmd'),
      command: () => {
        throw new Error('no command');
      },
    };
    const badEvaluate: Test = {
      ...fakeTest('c/eval'),
      evaluate: () => {
        throw new Error('cannot parse');
      },
    };
    const { summary } = await runRecorded({
      supervisors: fakes([{}]),
      tests: [badCommand, badEvaluate],
    });
    expect(resultOf(summary, 'c/cmd')).toMatchObject({ status: 'error', outcome: 'completed' });
    expect(resultOf(summary, 'c/cmd').summary).toMatch(/c\/cmd: command\(\) threw: no command/);
    expect(resultOf(summary, 'c/eval').summary).toMatch(/evaluate\(\) threw: cannot parse/);
  });

  it('resolves with an empty summary for no tests without starting supervisors', async () => {
    const sups = fakes([{}]);
    const { summary } = await runRecorded({ supervisors: sups, tests: [] });
    expect(summary.results).toEqual([]);
    expect(sups[0]?.starts).toBe(0);
  });

  it('reports per-supervisor figures', async () => {
    const { summary } = await runRecorded({
      supervisors: fakes([{ default: { durationMs: 5 } }]),
      tests: tests(3),
    });
    const [report] = summary.supervisors;
    expect(report).toMatchObject({ name: 'fake-0', started: true, restarts: 0, attempts: 3 });
    expect(report?.busyMs).toBeGreaterThanOrEqual(12);
    expect(report?.wallMs).toBeGreaterThanOrEqual(report?.busyMs ?? 0);
  });
});
