import { readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvalidNameError, ResultsError, UnknownSourceError } from '../../src/errors.js';
import { ResultsStore } from '../../src/results/store.js';
import { attemptResult, recordRun, tempDir } from './helpers.js';

let tmp: Awaited<ReturnType<typeof tempDir>>;
let store: ResultsStore;
beforeEach(async () => {
  tmp = await tempDir();
  store = await ResultsStore.open(tmp.path);
});
afterEach(async () => {
  await tmp.cleanup();
});

async function twoRuns(): Promise<void> {
  await recordRun(store, 'run-1', [
    [attemptResult('g/1', 1, 'pass', { attemptId: 'r1-g1' })],
    [attemptResult('g/2', 1, 'fail', { attemptId: 'r1-g2' })],
  ]);
  await recordRun(store, 'run-2', [
    [attemptResult('g/1', 1, 'fail', { attemptId: 'r2-g1' })],
    [attemptResult('g/2', 1, 'error', { attemptId: 'r2-g2' })],
    [attemptResult('g/3', 1, 'skip', { attemptId: 'r2-g3' })],
  ]);
}

async function unknownSource(spec?: string): Promise<UnknownSourceError> {
  const error = await store.resolveSource(spec).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UnknownSourceError);
  return error as UnknownSourceError;
}

describe('sources', () => {
  it('an empty results directory has no latest run', async () => {
    const error = await unknownSource();
    expect(error.code).toBe('ERR_UNKNOWN_SOURCE');
    expect(error.message).toMatch(
      /no run recorded yet.*latest run: none; recordings \(newest first\): none/,
    );
  });

  it('resolves latest, labels, -N and run ids; unknown ones list what exists', async () => {
    await twoRuns();
    expect(await store.resolveSource()).toMatchObject({ kind: 'latest', runId: 'run-2' });
    expect(await store.resolveSource('run-1')).toMatchObject({ kind: 'run', runId: 'run-1' });
    const older = await store.record('older', 'run-1');
    const newer = await store.record('newer');
    // make the order explicit (mtime resolution could tie)
    await utimes(join(older.dir, 'manifest.json'), 1000, 1000);
    expect(await store.resolveSource('-1')).toMatchObject({ kind: 'recording', label: 'newer' });
    expect(await store.resolveSource('-2')).toMatchObject({ kind: 'recording', label: 'older' });
    expect(await store.resolveSource('older')).toMatchObject({ kind: 'recording', label: 'older' });
    const error = await unknownSource('-3');
    expect(error.available).toEqual(['latest run run-2', 'newer', 'older']);
    expect(error.message).toMatch(/recordings \(newest first\): newer, older/);
    expect((await unknownSource('nope')).message).toMatch(/no recording or run named "nope"/);
    expect((await unknownSource('-0')).code).toBe('ERR_UNKNOWN_SOURCE');
    expect(newer.runId).toBe('run-2');
  });

  it('failedTests and runDurations read one source', async () => {
    await twoRuns();
    expect(await store.failedTests('run-1')).toEqual(['g/2']);
    expect(await store.failedTests()).toEqual(['g/1', 'g/2']);
    expect(await store.runDurations('run-1')).toEqual(
      new Map([
        ['g/1', 1000],
        ['g/2', 1000],
      ]),
    );
  });
});

describe('record', () => {
  it('snapshots final attempts as hard links plus the manifest', async () => {
    await twoRuns();
    const rec = await store.record('base');
    expect(rec).toMatchObject({ label: 'base', tests: 3, warnings: [] });
    const stdout = join(rec.dir, 'g', '1', 'stdout');
    expect(await readFile(stdout, 'utf8')).toBe('hello\n');
    const original = join(store.layout.attemptDir('g/1', 'r2-g1'), 'stdout');
    expect((await stat(stdout)).ino).toBe((await stat(original)).ino);
    const manifest = JSON.parse(await readFile(join(rec.dir, 'manifest.json'), 'utf8'));
    expect(manifest.recording).toMatchObject({ label: 'base' });
    const run = await store.loadRun('base');
    expect(run.source).toEqual({ kind: 'recording', name: 'base' });
    expect(run.results.map((r) => r.outputDir)).toEqual(
      ['g/1', 'g/2', 'g/3'].map((id) => join(rec.dir, id)),
    );
    expect(run.warnings).toEqual([]);
  });

  it('uses a timestamp label when none is given', async () => {
    await twoRuns();
    const rec = await store.record();
    expect(rec.label).toMatch(/^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ$/);
  });

  it('rejects bad and existing labels, and has no source to record in an empty store', async () => {
    await expect(store.record('x')).rejects.toBeInstanceOf(UnknownSourceError);
    await twoRuns();
    await expect(store.record('a/b')).rejects.toBeInstanceOf(InvalidNameError);
    await expect(store.record('../up')).rejects.toBeInstanceOf(InvalidNameError);
    await expect(store.record('-f')).rejects.toBeInstanceOf(InvalidNameError);
    await store.record('once');
    await expect(store.record('once')).rejects.toThrow(ResultsError);
    await expect(store.record('once')).rejects.toThrow(/already exists/);
  });
});

describe('corrupt and partial data', () => {
  it('reports missing and corrupt result folders as warnings', async () => {
    await twoRuns();
    await rm(store.layout.attemptDir('g/1', 'r2-g1'), { recursive: true });
    await writeFile(join(store.layout.attemptDir('g/2', 'r2-g2'), 'result.json'), '{"trunc');
    const run = await store.loadRun('run-2');
    expect(run.results).toHaveLength(3);
    expect(run.warnings).toEqual([
      expect.stringMatching(/^g\/1: result folder .* missing$/),
      expect.stringMatching(/^g\/2: result folder .* not valid JSON$/),
    ]);
    const rec = await store.record('partial', 'run-2');
    expect(rec.tests).toBe(2);
    expect(rec.warnings.join('\n')).toMatch(/g\/1: attempt directory .* missing; not recorded/);
  });

  it('a corrupt run manifest gives an empty run with a warning', async () => {
    await twoRuns();
    await writeFile(store.layout.manifest('run-2'), '{"schema":1,');
    const run = await store.loadRun('run-2');
    expect(run.results).toEqual([]);
    expect(run.warnings.join()).toMatch(/run-2\.json: not valid JSON/);
    await writeFile(store.layout.manifest('run-2'), JSON.stringify({ schema: 99 }));
    expect((await store.loadRun('run-2')).warnings.join()).toMatch(/unsupported schema 99/);
    await writeFile(store.layout.manifest('run-2'), JSON.stringify({ schema: 1, runId: 'run-2' }));
    expect((await store.loadRun('run-2')).warnings.join()).toMatch(
      /run-2\.json\.selection: expected an object$/,
    );
  });

  it('a recording without a usable manifest is rebuilt from its result.json files', async () => {
    await twoRuns();
    const rec = await store.record('broken');
    await writeFile(join(rec.dir, 'manifest.json'), 'garbage');
    await writeFile(join(rec.dir, 'g', '3', 'result.json'), '[]');
    const run = await store.loadRun('broken');
    expect(run.results.map((r) => [r.testId, r.status])).toEqual([
      ['g/1', 'fail'],
      ['g/2', 'error'],
    ]);
    expect(run.warnings).toEqual([
      expect.stringMatching(/manifest\.json: not valid JSON/),
      expect.stringMatching(/g\/3\/result\.json: expected an object$/),
    ]);
  });

  it('keeps a tampered manifest inside the store: a path-like id is an escaped name, not a path', async () => {
    await twoRuns();
    const path = store.layout.manifest('run-2');
    const manifest = JSON.parse(await readFile(path, 'utf8'));
    manifest.results[0].testId = '../../etc';
    manifest.results[1].testId = '';
    await writeFile(path, JSON.stringify(manifest));
    const run = await store.loadRun('run-2');
    expect(run.results.map((r) => r.testId)).toEqual(['../../etc', 'g/3']);
    const etc = run.results[0]?.outputDir ?? '';
    expect(etc.startsWith(join(store.layout.testsDir, '%2E%2E', '%2E%2E', 'etc'))).toBe(true);
    expect(run.warnings.join()).toMatch(/unsafe id ""/);
    expect(run.warnings.join()).toMatch(
      /\.\.\/\.\.\/etc: result folder .* (missing|ENOENT|unreadable)/,
    );
  });
});
