import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LoadedRun } from '../../src/results/load.js';
import type { ResultsStore } from '../../src/results/store.js';
import type { RunSummary } from '../../src/summary.js';
import { countStatuses } from '../../src/summary.js';
import type { FinalTestResult, Test, TestResult, TestStatus } from '../../src/test.js';

/** A temporary directory removed by `cleanup`. */
export async function tempDir(): Promise<{ path: string; cleanup: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), 'ff-results-'));
  return { path, cleanup: () => rm(path, { recursive: true, force: true }) };
}

/** A test that is only an id (the store never runs tests). */
export function idTest(id: string): Test {
  return {
    id,
    command: () => ({ command: 'true' }),
    evaluate: () => ({ status: 'pass', summary: '' }),
  };
}

/** One attempt's result. */
export function attemptResult(
  testId: string,
  attempt: number,
  status: TestStatus,
  extra: Partial<TestResult> = {},
): TestResult {
  return {
    testId,
    attemptId: `${testId.replaceAll('/', '_')}-a${attempt}`,
    attempt,
    status,
    summary: status === 'pass' ? '' : `${status} summary`,
    outcome: 'completed',
    supervisor: 'vm-1',
    startedAt: 1_700_000_000_000 + attempt,
    durationMs: 1000,
    exitCode: status === 'pass' ? 0 : 1,
    exitSignal: null,
    timedOut: false,
    canceled: false,
    ...extra,
  };
}

/** A final result made of `attempts` (the last one is final). */
export function finalOf(attempts: readonly TestResult[]): FinalTestResult {
  const last = attempts[attempts.length - 1];
  if (!last) throw new Error('finalOf needs an attempt');
  const completed = attempts.filter((a) => a.outcome === 'completed');
  return {
    ...last,
    attempts,
    retries: Math.max(0, completed.length - 1),
    reschedules: attempts.filter((a) => a.outcome === 'crashed').length,
    flaky: last.status === 'pass' && completed.some((a) => a.status !== 'pass'),
  };
}

/** A run summary over `results`. */
export function summaryOf(runId: string, results: readonly FinalTestResult[]): RunSummary {
  return {
    runId,
    startedAt: 1_700_000_000_000,
    finishedAt: 1_700_000_060_000,
    results,
    unfinished: [],
    supervisors: [
      {
        name: 'vm-1',
        started: true,
        deaths: 0,
        restarts: 0,
        busyMs: 30_000,
        wallMs: 60_000,
        attempts: 3,
      },
    ],
    counts: countStatuses(results),
    canceled: false,
  };
}

/**
 * Drive `store` through a whole run as the runner does: every attempt of every test (with
 * `output` as stdout), `finishTest` with each final result, then `finishRun`.
 */
export async function recordRun(
  store: ResultsStore,
  runId: string,
  tests: readonly (readonly TestResult[])[],
  output = 'hello\n',
): Promise<RunSummary> {
  const ids = tests.map((t) => t[0]?.testId ?? '');
  await store.beginRun({
    runId,
    startedAt: 1_700_000_000_000,
    testIds: ids,
    supervisors: ['vm-1'],
  });
  const finals: FinalTestResult[] = [];
  for (const attempts of tests) {
    for (const a of attempts) {
      const rec = await store.beginAttempt(idTest(a.testId), {
        attemptId: a.attemptId,
        attempt: a.attempt,
        supervisor: a.supervisor,
      });
      rec.write('stdout', Buffer.from(output));
      rec.write('stderr', Buffer.from('err\n'));
      await rec.finish({ ...a, outputDir: rec.dir });
    }
    const final = finalOf(
      attempts.map((a) => ({ ...a, outputDir: store.layout.attemptDir(a.testId, a.attemptId) })),
    );
    await store.finishTest(final);
    finals.push(final);
  }
  const summary = summaryOf(runId, finals);
  await store.finishRun(summary);
  return summary;
}

/** A loaded run built in memory (for compare tests). */
export function loaded(
  name: string,
  results: readonly FinalTestResult[],
  warnings: string[] = [],
): LoadedRun {
  return {
    source: { kind: 'run', name },
    runId: name,
    startedAt: 0,
    finishedAt: 1,
    canceled: false,
    results: [...results].sort((a, b) => (a.testId < b.testId ? -1 : 1)),
    unfinished: [],
    supervisors: [],
    commandLine: [],
    meta: {},
    warnings,
    partial: null,
  };
}

/** Every `...At` field (a point in time) anywhere in a JSON value, as `[path, value]`. */
export function timeFields(value: unknown, path = '$'): [string, unknown][] {
  if (Array.isArray(value)) return value.flatMap((v, i) => timeFields(v, `${path}[${i}]`));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, v]): [string, unknown][] => [
    ...(key.endsWith('At') ? [[`${path}.${key}`, v] as [string, unknown]] : []),
    ...timeFields(v, `${path}.${key}`),
  ]);
}
