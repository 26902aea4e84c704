import assert from 'node:assert/strict';
import { readFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { FinalTestResult, RunnerEventType } from '@ff/parallelrunner';
import { type DemoOptions, runDemoSuite } from './demo-suite.js';

function count(types: readonly RunnerEventType[], type: RunnerEventType): number {
  return types.filter((t) => t === type).length;
}

/**
 * Run the demo suite and check everything the runner promises: one verdict per test, retries of
 * failures, the crashed attempt rescheduled and passed after the supervisor restarted, the
 * timed-out test recorded as `error`, output and artifacts in the results store. Throws an
 * `AssertionError` on the first broken promise; resolves with one line per test.
 */
export async function verifyDemoSuite(options: Omit<DemoOptions, 'keep'> = {}): Promise<string[]> {
  const run = await runDemoSuite({ ...options, keep: true });
  try {
    const { summary } = run;
    const results = new Map(summary.results.map((r) => [r.testId, r]));
    const get = (name: string): FinalTestResult => {
      const result = results.get(`dir/${name}`);
      assert.ok(result, `no final result for dir/${name}`);
      return result;
    };
    assert.equal(summary.results.length, 6, 'one final result per test');
    assert.deepEqual(summary.unfinished, []);
    assert.deepEqual(summary.counts, { pass: 3, fail: 1, skip: 1, error: 1 });

    assert.equal(get('ok').status, 'pass');
    assert.equal(get('skip').status, 'skip');
    assert.equal(get('skip').summary, 'needs /dev/fancy');

    const fails = get('fails');
    assert.equal(fails.status, 'fail');
    assert.equal(fails.retries, 1, 'a failure is retried once');
    assert.equal(fails.summary, 'expected 1, got 2');

    const flaky = get('flaky');
    assert.equal(flaky.status, 'pass');
    assert.equal(flaky.flaky, true, 'passing on retry marks the test flaky');
    assert.deepEqual(
      flaky.attempts.map((a) => a.status),
      ['fail', 'pass'],
    );

    const crash = get('crash');
    assert.equal(crash.status, 'pass', 'the crashed test passes once rescheduled');
    assert.equal(crash.reschedules, 1);
    assert.equal(crash.attempts[0]?.outcome, 'crashed');
    assert.equal(crash.attempts[0]?.crashEvidence, 'Kernel panic - not syncing: simulated');

    const slow = get('slow');
    assert.equal(slow.status, 'error');
    assert.equal(slow.timedOut, true);

    const restarts = summary.supervisors.reduce((n, s) => n + s.restarts, 0);
    assert.equal(restarts, 1, 'the crashed supervisor was restarted once');
    const types = run.events.map((e) => e.type);
    assert.equal(count(types, 'test:rescheduled'), 1);
    assert.equal(count(types, 'test:retried'), 3, 'fails, flaky and slow were retried');
    assert.equal(count(types, 'test:finished'), 6);

    const okDir = get('ok').outputDir;
    assert.ok(okDir, 'the results store recorded the attempt');
    assert.equal(await readFile(join(okDir, 'stdout'), 'utf8'), 'all good\n');
    assert.equal(await readFile(join(okDir, 'artifacts', 'ok.log'), 'utf8'), 'all good\n');

    return summary.results.map(
      (r) =>
        `${r.testId.padEnd(10)} ${r.status.padEnd(5)} attempts=${r.attempts.length} ` +
        `retries=${r.retries} reschedules=${r.reschedules}`,
    );
  } finally {
    await rm(dirname(run.resultsDir), { recursive: true, force: true });
  }
}
