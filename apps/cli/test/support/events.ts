import type { FinalTestResult, RunSummary, RunnerEvent } from '@ff/parallelrunner';

/** A final result of one completed attempt (4.2 s on vm-1) for view tests. */
export function result(
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

export const summary: RunSummary = {
  runId: 'r',
  startedAt: 0,
  finishedAt: 65_000,
  results: [],
  unfinished: [],
  supervisors: [],
  counts: { pass: 1, fail: 1, skip: 0, error: 0 },
  canceled: false,
};

export const events: RunnerEvent[] = [
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
