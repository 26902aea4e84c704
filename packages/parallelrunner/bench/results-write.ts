import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ResultsStore } from '../src/results/store.js';
import { countStatuses } from '../src/summary.js';
import type { FinalTestResult, Test } from '../src/test.js';

/** Result of the results-store write benchmark. */
export interface ResultsWriteResult {
  /** Milliseconds of wall time per test (begin attempt, write stdout/stderr, finish). */
  readonly msPerTest: number;
  /** Peak resident set size of the process in MiB (`process.resourceUsage().maxRSS`). */
  readonly peakRssMb: number;
  readonly tests: number;
}

const STDOUT = Buffer.from('QA output created by 001\nSilence is golden\n');

function test(id: string): Test {
  return {
    id,
    command: () => ({ command: 'true' }),
    evaluate: () => ({ status: 'pass', summary: '' }),
  };
}

/**
 * Write the results of `tests` tests (default 10,000) into a fresh results directory in the
 * temp dir, `concurrency` (default 16) at a time as 16 supervisors would: begin the run, then
 * per test begin an attempt, write a small stdout and stderr and finish it; then finish the run
 * (manifest with every result, history). The directory is removed afterwards.
 */
export async function benchResultsWrite(
  tests = 10_000,
  concurrency = 16,
): Promise<ResultsWriteResult> {
  const root = await mkdtemp(join(tmpdir(), 'ff-bench-results-'));
  try {
    const store = await ResultsStore.open(root);
    const ids = Array.from({ length: tests }, (_, i) => `bench/${String(i).padStart(5, '0')}`);
    const startedAt = Date.now();
    const t0 = process.hrtime.bigint();
    await store.beginRun({ runId: 'bench', startedAt, testIds: ids, supervisors: ['vm'] });
    const finals: FinalTestResult[] = [];
    let next = 0;
    const worker = async (w: number) => {
      while (next < ids.length) {
        const id = ids[next++] ?? '';
        const ctx = { attemptId: `a${w}-${next}`, attempt: 1, supervisor: `vm-${w}` };
        const rec = await store.beginAttempt(test(id), ctx);
        rec.write('stdout', STDOUT);
        rec.write('stderr', Buffer.from(''));
        const result = {
          testId: id,
          attemptId: ctx.attemptId,
          attempt: 1,
          status: 'pass' as const,
          summary: '',
          outcome: 'completed' as const,
          supervisor: ctx.supervisor,
          startedAt: Date.now(),
          durationMs: 1000 + (next % 100),
          exitCode: 0,
          exitSignal: null,
          timedOut: false,
          canceled: false,
          outputDir: rec.dir,
        };
        await rec.finish(result);
        finals.push({ ...result, attempts: [result], retries: 0, reschedules: 0, flaky: false });
      }
    };
    await Promise.all(Array.from({ length: concurrency }, (_, w) => worker(w)));
    await store.finishRun({
      runId: 'bench',
      startedAt,
      finishedAt: Date.now(),
      results: finals,
      unfinished: [],
      supervisors: [],
      counts: countStatuses(finals),
      canceled: false,
    });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    return {
      msPerTest: Math.round((ms / tests) * 1000) / 1000,
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      tests,
    };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const r = await benchResultsWrite();
  console.log(
    `Results store: ${r.tests} tests written in ${r.msPerTest} ms/test, peak RSS ${r.peakRssMb} MiB`,
  );
}
