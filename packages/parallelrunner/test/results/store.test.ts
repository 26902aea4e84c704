import { lstat, mkdir, readFile, readdir, readlink, realpath, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ResultsError } from '../../src/errors.js';
import { ResultsStore } from '../../src/results/store.js';
import { attemptResult, finalOf, idTest, recordRun, tempDir, timeFields } from './helpers.js';

let tmp: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => {
  tmp = await tempDir();
});
afterEach(async () => {
  await tmp.cleanup();
});

async function openError(dir: string, options = {}): Promise<ResultsError> {
  const error = await ResultsStore.open(dir, options).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ResultsError);
  return error as ResultsError;
}

describe('ResultsStore.open', () => {
  it('creates a missing directory with create: true and marks it', async () => {
    const dir = join(tmp.path, 'a', 'results');
    const store = await ResultsStore.open(dir, { create: true });
    expect(store.dir).toBe(dir);
    expect((await readdir(dir)).sort()).toEqual([
      '.ff-results.json',
      'latest',
      'recordings',
      'runs',
      'tests',
    ]);
  });

  it('refuses a missing directory without create', async () => {
    const error = await openError(join(tmp.path, 'missing'));
    expect(error.code).toBe('ERR_RESULTS');
    expect(error.message).toMatch(/does not exist/);
  });

  it('refuses an unwritable directory up front (a path under a regular file fails even for root)', async () => {
    const file = join(tmp.path, 'file');
    await writeFile(file, 'x');
    const error = await openError(join(file, 'results'), { create: true });
    expect(error.code).toBe('ERR_RESULTS');
    expect(error.message).toMatch(/cannot create results directory|not accessible/);
  });

  it('refuses a regular file and a foreign non-empty directory', async () => {
    const file = join(tmp.path, 'file');
    await writeFile(file, 'x');
    expect((await openError(file)).message).toMatch(/not a directory/);
    const foreign = join(tmp.path, 'home');
    await mkdir(foreign);
    await writeFile(join(foreign, 'notes.txt'), 'mine');
    expect((await openError(foreign, { create: true })).message).toMatch(/not a results directory/);
  });

  it('refuses a corrupt marker and accepts an empty directory', async () => {
    const empty = join(tmp.path, 'empty');
    await mkdir(empty);
    await ResultsStore.open(empty);
    await writeFile(join(empty, '.ff-results.json'), '{ broken');
    expect((await openError(empty)).message).toMatch(/corrupt/);
  });

  it('reports a corrupt history as a warning and starts afresh', async () => {
    const store = await ResultsStore.open(tmp.path);
    await writeFile(store.layout.history, 'not json');
    const again = await ResultsStore.open(tmp.path);
    expect(again.warnings.join()).toMatch(/not valid JSON/);
    expect(again.durations().size).toBe(0);
  });
});

describe('ResultsStore as a ResultSink', () => {
  it('writes the layout: attempt dirs, result.json, latest links, manifest, history', async () => {
    const store = await ResultsStore.open(tmp.path, {
      commandLine: ['ff', '-g', 'quick'],
      meta: { kernel: '6.8.0' },
      selection: { groups: ['quick'] },
    });
    await recordRun(store, 'run-1', [
      [attemptResult('generic/001', 1, 'pass', { durationMs: 4000 })],
      [
        attemptResult('generic/002', 1, 'fail', { durationMs: 2000 }),
        attemptResult('generic/002', 2, 'pass', { durationMs: 3000 }),
      ],
      [
        attemptResult('xfs/001', 1, 'error', { outcome: 'crashed', durationMs: 500 }),
        attemptResult('xfs/001', 2, 'pass', { durationMs: 7000 }),
      ],
    ]);
    const attempt = store.layout.attemptDir('generic/002', 'generic_002-a2');
    expect((await readdir(attempt)).sort()).toEqual([
      'artifacts',
      'final.json',
      'result.json',
      'stderr',
      'stdout',
    ]);
    // Only the final attempt holds final.json: the failed first try of generic/002 does not.
    const first = store.layout.attemptDir('generic/002', 'generic_002-a1');
    expect(await readdir(first)).not.toContain('final.json');
    const final = JSON.parse(await readFile(join(attempt, 'final.json'), 'utf8'));
    expect(final).toMatchObject({ schema: 1, runId: 'run-1', result: { retries: 1, flaky: true } });
    expect(await readFile(join(attempt, 'stdout'), 'utf8')).toBe('hello\n');
    expect(await readFile(join(attempt, 'stderr'), 'utf8')).toBe('err\n');
    const stored = JSON.parse(await readFile(join(attempt, 'result.json'), 'utf8'));
    expect(stored).toMatchObject({
      schema: 1,
      testId: 'generic/002',
      status: 'pass',
      outputDir: attempt,
    });

    const link = join(tmp.path, 'latest', 'generic', '002');
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(await readlink(link)).toBe('../../tests/generic/002/generic_002-a2');
    expect(await realpath(link)).toBe(await realpath(attempt));

    const manifest = JSON.parse(await readFile(join(tmp.path, 'runs', 'run-1.json'), 'utf8'));
    expect(manifest).toMatchObject({
      schema: 1,
      runId: 'run-1',
      finishedAt: 1_700_000_060_000,
      commandLine: ['ff', '-g', 'quick'],
      meta: { kernel: '6.8.0' },
      selection: {
        testIds: ['generic/001', 'generic/002', 'xfs/001'],
        description: { groups: ['quick'] },
      },
      supervisors: [{ name: 'vm-1', started: true, busyMs: 30_000 }],
      attempts: [],
    });
    expect(manifest.results.map((r: { testId: string }) => r.testId)).toEqual([
      'generic/001',
      'generic/002',
      'xfs/001',
    ]);
    expect(manifest.results[1].attempts).toHaveLength(2);

    // crashed attempts do not count; both finished attempts of generic/002 do
    const history = JSON.parse(await readFile(store.layout.history, 'utf8'));
    expect(history.tests).toEqual({
      'generic/001': [4000],
      'generic/002': [2000, 3000],
      'xfs/001': [7000],
    });
    expect(store.durations()).toEqual(
      new Map([
        ['generic/001', 4000],
        ['generic/002', 2500],
        ['xfs/001', 7000],
      ]),
    );

    const leftovers = (await readdir(tmp.path, { recursive: true })).filter((f) =>
      f.endsWith('.tmp'),
    );
    expect(leftovers).toEqual([]);
  });

  it('writes every point in time as milliseconds since the epoch (one convention in the files)', async () => {
    const store = await ResultsStore.open(tmp.path);
    await recordRun(store, 'run-1', [[attemptResult('generic/001', 1, 'pass')]]);
    const files = [
      join(store.layout.attemptDir('generic/001', 'generic_001-a1'), 'result.json'),
      store.layout.manifest('run-1'),
    ];
    for (const file of files) {
      const times = timeFields(JSON.parse(await readFile(file, 'utf8')));
      expect(times.length).toBeGreaterThan(0);
      for (const [path, value] of times) {
        expect({ file, path, type: typeof value }).toEqual({ file, path, type: 'number' });
      }
    }
  });

  it('keeps a partial manifest while running, readable as an unfinished run', async () => {
    const store = await ResultsStore.open(tmp.path, { flushIntervalMs: 0 });
    await store.beginRun({
      runId: 'r',
      startedAt: 5,
      testIds: ['a/1', 'a/2'],
      supervisors: ['vm-1'],
    });
    for (const id of ['a/1', 'a/2']) {
      const a = attemptResult(id, 1, 'fail');
      const rec = await store.beginAttempt(idTest(id), {
        attemptId: a.attemptId,
        attempt: 1,
        supervisor: 'vm-1',
      });
      await rec.finish({ ...a, outputDir: rec.dir });
      // a/2's attempt is not final (it would be retried): it is no result of the run yet
      if (id === 'a/1') await store.finishTest(finalOf([{ ...a, outputDir: rec.dir }]));
    }
    const manifest = JSON.parse(await readFile(store.layout.manifest('r'), 'utf8'));
    expect(manifest.finishedAt).toBeNull();
    expect(manifest.attempts).toHaveLength(2);
    expect(manifest.results).toHaveLength(1);
    const run = await store.loadRun('r');
    expect(run.finishedAt).toBeNull();
    expect(run.results.map((r) => [r.testId, r.status])).toEqual([['a/1', 'fail']]);
    expect(run.partial).toBe('run r did not finish (1 of 2 tests have a result)');
    expect(await store.failedTests()).toEqual(['a/1']);
  });

  it('latest/ keeps each test at its newest final result; history keeps 5 durations', async () => {
    const store = await ResultsStore.open(tmp.path);
    for (let i = 1; i <= 7; i++) {
      const tests = [
        [attemptResult('t/1', 1, 'pass', { durationMs: i * 1000, attemptId: `t1-run${i}` })],
      ];
      if (i === 1) tests.push([attemptResult('t/2', 1, 'pass')]);
      await recordRun(store, `run-${i}`, tests);
    }
    expect((await readdir(join(tmp.path, 'latest', 't'))).sort()).toEqual(['1', '2']);
    expect(await readlink(join(tmp.path, 'latest', 't', '1'))).toBe('../../tests/t/1/t1-run7');
    expect(await readlink(join(tmp.path, 'latest', 't', '2'))).toBe('../../tests/t/2/t_2-a1');
    const again = await ResultsStore.open(tmp.path);
    expect(again.history.recent('t/1')).toEqual([3000, 4000, 5000, 6000, 7000]);
    expect(again.durations().get('t/1')).toBe(5000);
    expect(again.durations().get('t/2')).toBe(1000);
    const latest = await again.loadRun();
    expect(latest.source).toEqual({ kind: 'latest', name: 'latest' });
    expect(latest.runId).toBe('run-7');
    expect(latest.results.map((r) => [r.testId, r.attemptId])).toEqual([
      ['t/1', 't1-run7'],
      ['t/2', 't_2-a1'],
    ]);
    expect(latest.partial).toBe('1 of 2 results come from earlier runs (run-1)');
    expect((await again.loadRun('run-7')).partial).toBeNull();
    expect((await again.loadRun('run-1')).results).toHaveLength(2);
  });

  it('files any test id inside tests/; rejects unsafe attempt ids, run ids and trace names', async () => {
    const store = await ResultsStore.open(tmp.path);
    const ctx = { attemptId: 'x', attempt: 1, supervisor: 'vm' };
    const outside = await store.beginAttempt(idTest('../escape'), ctx);
    expect(outside.dir).toBe(join(tmp.path, 'tests', '%2E%2E', 'escape', 'x'));
    await expect(store.beginAttempt(idTest(''), ctx)).rejects.toMatchObject({
      code: 'ERR_INVALID_NAME',
    });
    await expect(
      store.beginAttempt(idTest('ok/1'), { ...ctx, attemptId: '../x' }),
    ).rejects.toMatchObject({
      code: 'ERR_INVALID_NAME',
    });
    await expect(
      store.beginRun({ runId: 'a/b', startedAt: 0, testIds: [], supervisors: [] }),
    ).rejects.toMatchObject({
      code: 'ERR_INVALID_NAME',
    });
    const rec = await store.beginAttempt(idTest('ok/1'), ctx);
    expect(rec.tracePath('dmesg')).toBe(join(rec.dir, 'dmesg'));
    expect(() => rec.tracePath('../dmesg')).toThrow(/trace name/);
    expect(() => rec.tracePath('stdout')).toThrow(/reserved/);
    await rec.finish(attemptResult('ok/1', 1, 'pass', { attemptId: 'x' }));
    await expect(rec.finish(attemptResult('ok/1', 1, 'pass'))).rejects.toBeInstanceOf(ResultsError);
  });
});
