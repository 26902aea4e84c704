import { readlinkSync } from 'node:fs';
import { readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compare } from '../../src/results/compare.js';
import { formatComparison } from '../../src/results/format-comparison.js';
import { ResultsStore } from '../../src/results/store.js';
import { Runner } from '../../src/runner/runner.js';
import { FakeSupervisor } from '../../src/testing/fake-supervisor.js';
import { fakeTest } from '../../src/testing/fake-test.js';
import type { FakeBehavior } from '../../src/testing/script.js';
import { tempDir } from './helpers.js';

let tmp: Awaited<ReturnType<typeof tempDir>>;
let store: ResultsStore;
beforeEach(async () => {
  tmp = await tempDir();
  store = await ResultsStore.open(join(tmp.path, 'results'), { create: true });
});
afterEach(async () => {
  await tmp.cleanup();
});

const ids = ['g/1', 'g/2', 'g/3', 'g/4'];

/**
 * One run of `ids` on one fake supervisor. `commands` scripts them; `abortAfter` cancels the run
 * (like Ctrl-C) once that many tests have started.
 */
async function run(
  runId: string,
  commands: Record<string, FakeBehavior | FakeBehavior[]> = {},
  options: { abortAfter?: number; retryFailures?: number; onRetried?: (id: string) => void } = {},
) {
  await using sup = new FakeSupervisor('vm-1', { commands });
  const controller = new AbortController();
  const runner = new Runner({
    supervisors: [sup],
    tests: ids.map((id) => fakeTest(id)),
    sink: store,
    probeIntervalMs: 0,
    retryFailures: options.retryFailures ?? 0,
    signal: controller.signal,
    runId,
  });
  let started = 0;
  runner.on((e) => {
    if (e.type === 'test:started' && ++started === options.abortAfter) controller.abort();
    if (e.type === 'test:retried') options.onRetried?.(e.result.testId);
  });
  return runner.run();
}

const link = (id: string) => readlink(join(store.dir, 'latest', id));

describe('latest/ moves per test, only on a final result', () => {
  it('a run interrupted before any test finished hides nothing: compare, record and links keep the earlier results', async () => {
    await run('run-1', { 'g/3': { exitCode: 1, stderr: 'bad\n' } });
    await store.record('base');
    const before = await Promise.all(ids.map(link));

    const interrupted = await run('run-2', { 'g/1': { hang: true } }, { abortAfter: 1 });
    expect(interrupted.canceled).toBe(true);
    expect(interrupted.results.map((r) => r.outcome)).toEqual(['canceled']);

    expect(await Promise.all(ids.map(link))).toEqual(before);
    const latest = await store.loadRun();
    expect(latest.results.map((r) => r.testId)).toEqual(ids);
    expect(latest.partial).toBe(
      'run run-2 was interrupted (0 of 4 tests have a result); 4 of 4 results come from earlier runs (run-1)',
    );
    const c = compare(await store.loadRun('base'), latest);
    expect(c.removed).toEqual([]);
    expect(c.changed).toBe(false);
    expect(formatComparison(c)).toContain(`Note: B is partial: ${latest.partial}`);

    const rec = await store.record('after');
    expect(rec.tests).toBe(4);
    expect(rec.partial).toBe(latest.partial);
    expect((await store.loadRun('after')).partial).toBe(latest.partial);

    // The interrupted run itself says what it is.
    const own = await store.loadRun('run-2');
    expect(own.partial).toBe('run run-2 was interrupted (0 of 4 tests have a result)');
    await expect(store.record('nothing', 'run-2')).resolves.toMatchObject({ tests: 1 });
  });

  it('a partial run moves the links of the tests it finished and no others', async () => {
    await run('run-1');
    const before = await Promise.all(ids.map(link));
    await run('run-2', { 'g/3': { hang: true } }, { abortAfter: 3 });
    const after = await Promise.all(ids.map(link));
    expect(after[0]).not.toBe(before[0]);
    expect(after[1]).not.toBe(before[1]);
    expect(after.slice(2)).toEqual(before.slice(2));
    const latest = await store.loadRun();
    expect(latest.results.map((r) => [r.testId, r.attemptId])).toEqual([
      ['g/1', 'run-2-1'],
      ['g/2', 'run-2-1'],
      ['g/3', 'run-1-1'],
      ['g/4', 'run-1-1'],
    ]);
    expect(latest.partial).toBe(
      'run run-2 was interrupted (2 of 4 tests have a result); 2 of 4 results come from earlier runs (run-1)',
    );
  });

  it('a retried attempt does not move the link; the final one does', async () => {
    await run('run-1');
    const before = await link('g/2');
    let atRetry: string | undefined;
    await run(
      'run-2',
      { 'g/2': [{ exitCode: 1, stderr: 'flaky\n' }, { exitCode: 0 }] },
      {
        retryFailures: 1,
        onRetried: (id) => {
          atRetry = readlinkSync(join(store.dir, 'latest', id));
        },
      },
    );
    expect(atRetry).toBe(before);
    expect(await link('g/2')).toBe('../../tests/g/2/run-2-2');
    const latest = await store.loadRun();
    expect(latest.partial).toBeNull();
    expect(latest.results.find((r) => r.testId === 'g/2')).toMatchObject({
      flaky: true,
      retries: 1,
    });
  });

  it('finds tests whose ids are escaped on disk, by the id in final.json', async () => {
    await using sup = new FakeSupervisor('vm-1', {});
    const odd = ['math > adds 1+1', 'test_parse[utf-8]'];
    await new Runner({
      supervisors: [sup],
      tests: odd.map((id) => fakeTest(id)),
      sink: store,
      probeIntervalMs: 0,
      runId: 'odd',
    }).run();
    const latest = await store.loadRun();
    expect(latest.results.map((r) => r.testId)).toEqual([...odd].sort());
    expect(latest.warnings).toEqual([]);
  });

  it('refuses to record a source without any result', async () => {
    await run('run-1', { 'g/1': { hang: true } }, { abortAfter: 1 });
    await expect(store.record('empty')).rejects.toThrow(
      /nothing to record: no test has a result yet \(run run-1 was interrupted \(0 of 4 tests have a result\)\)/,
    );
  });
});
