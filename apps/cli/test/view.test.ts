import type { FinalTestResult, RunSummary, RunnerEvent } from '@ff/parallelrunner';
import { describe, expect, it } from 'vitest';
import { makePaint, resultLine, useColor } from '../src/view/format.js';
import { LiveView, type Terminal } from '../src/view/live-view.js';
import { PlainView } from '../src/view/plain-view.js';

const paint = makePaint(false);

function result(
  testId: string,
  status: FinalTestResult['status'],
  extra: Partial<FinalTestResult> = {},
): FinalTestResult {
  const attempt = {
    testId,
    attemptId: 'r-1',
    attempt: 1,
    status,
    summary: status === 'fail' ? '- output mismatch (see x.out.bad)' : '',
    outcome: 'completed' as const,
    supervisor: 'vm-1',
    startedAt: 0,
    durationMs: 4200,
    exitCode: 0,
    exitSignal: null,
    timedOut: false,
    canceled: false,
    ...extra,
  };
  return { ...attempt, attempts: [attempt], retries: 0, reschedules: 0, flaky: false, ...extra };
}

const summary: RunSummary = {
  runId: 'r',
  startedAt: 0,
  finishedAt: 65_000,
  results: [],
  unfinished: [],
  supervisors: [],
  counts: { pass: 1, fail: 1, skip: 0, error: 0 },
  canceled: false,
};

const events: RunnerEvent[] = [
  { type: 'supervisor:starting', supervisor: 'vm-1', restart: false },
  { type: 'supervisor:starting', supervisor: 'vm-2', restart: false },
  { type: 'supervisor:ready', supervisor: 'vm-1', startupMs: 9800 },
  {
    type: 'supervisor:failed',
    supervisor: 'vm-2',
    error: new Error('did not become ready within 60s'),
  },
  {
    type: 'test:started',
    testId: 'generic/013',
    attemptId: 'r-1',
    attempt: 1,
    supervisor: 'vm-1',
    startedAt: Date.now(),
  },
  { type: 'test:finished', result: result('generic/013', 'fail') },
  {
    type: 'supervisor:died',
    supervisor: 'vm-1',
    reason: 'kernel crash on the console',
    testId: 'generic/014',
  },
  { type: 'test:finished', result: result('generic/001', 'pass', { flaky: true, retries: 1 }) },
  { type: 'run:finished', summary },
];

describe('PlainView', () => {
  it('prints one line per meaningful event with elapsed time and progress', () => {
    const lines: string[] = [];
    const view = new PlainView(
      2,
      paint,
      (l) => lines.push(l),
      () => 0,
    );
    for (const e of events) view.handle(e);
    expect(lines).toEqual([
      '[00:00] vm-1: starting',
      '[00:00] vm-2: starting',
      '[00:00] vm-1: ready after 9.8s',
      '[00:00] vm-2: left the run: did not become ready within 60s',
      '[00:00] FAIL  generic/013 4.2s on vm-1 - output mismatch (see x.out.bad) (1/2)',
      '[00:00] vm-1: died running generic/014: kernel crash on the console',
      '[00:00] PASS  generic/001 4.2s on vm-1 flaky (2/2)',
      '[00:00] run finished in 1m05s',
    ]);
    expect(view.state.counts).toEqual({ pass: 1, fail: 1, skip: 0, error: 0 });
  });
});

describe('LiveView', () => {
  it('draws a row per supervisor and a footer, and prints finished results above the rows', async () => {
    let out = '';
    const terminal: Terminal = {
      columns: 100,
      write(text) {
        out += text;
        return true;
      },
    };
    const view = new LiveView({
      total: 2,
      supervisors: ['vm-1', 'vm-2'],
      paint,
      stream: terminal,
      eta: () => 90_000,
    });
    view.start();
    for (const e of events.slice(0, 5)) view.handle(e);
    await new Promise((r) => setTimeout(r, 400));
    expect(out).toMatch(/vm-1 +running generic\/013/);
    expect(out).toMatch(/vm-2 +dead: did not become ready within 60s/);
    expect(out).toMatch(/0\/2 +pass 0 +fail 0 +skip 0 +error 0 +elapsed \d\d:\d\d +ETA 01:30/);
    for (const e of events.slice(5)) view.handle(e);
    await view.stop();
    // Finished results are permanent lines, written before the redrawn rows.
    const resultAt = out.indexOf('FAIL  generic/013');
    expect(resultAt).toBeGreaterThan(-1);
    expect(out.indexOf('vm-1', resultAt)).toBeGreaterThan(resultAt);
    expect(out).toMatch(/2\/2 +pass 1 +fail 1/);
    expect(out.endsWith('\u001b[?25h')).toBe(true); // the cursor is shown again
  });

  it('shows no ETA before any duration is known', async () => {
    let out = '';
    const terminal: Terminal = {
      write(text) {
        out += text;
        return true;
      },
    };
    const view = new LiveView({
      total: 3,
      supervisors: ['vm-1'],
      paint,
      stream: terminal,
      eta: () => 0,
    });
    view.start();
    await new Promise((r) => setTimeout(r, 200));
    await view.stop();
    expect(out).toMatch(/0\/3 +pass 0/);
    expect(out).not.toMatch(/ETA/);
  });
});

describe('format', () => {
  it('honours NO_COLOR and non-terminals', () => {
    const tty = { isTTY: true } as const;
    expect(useColor(tty as unknown as NodeJS.WriteStream, { NO_COLOR: '1' })).toBe(false);
    expect(useColor(tty as unknown as NodeJS.WriteStream, {})).toBe(true);
    expect(useColor({ isTTY: false } as unknown as NodeJS.WriteStream, {})).toBe(false);
    expect(makePaint(true).red('x')).toBe('\u001b[31mx\u001b[39m');
  });

  it('does not repeat "timed out"', () => {
    const line = resultLine(
      paint,
      result('generic/007', 'error', { timedOut: true, summary: 'timed out after 5s' }),
    );
    expect(line).toBe('ERROR generic/007 4.2s on vm-1 timed out after 5s');
  });
});
