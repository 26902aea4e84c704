import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ResultsStore } from '../../src/results/store.js';
import { testIdFromPath, testPath } from '../../src/results/test-path.js';
import { Runner } from '../../src/runner/runner.js';
import { FakeSupervisor } from '../../src/testing/fake-supervisor.js';
import { fakeTest } from '../../src/testing/fake-test.js';
import { createPrng } from '../../src/testing/prng.js';

/** Names real suites give their tests (mocha/jest titles, pytest params, minitest, rspec). */
const SUITE_IDS = [
  'math > adds 1+1',
  'test_parse[utf-8]',
  'test_parse[a/b]',
  'Array#push',
  'spec/it works',
  'tests/test_x.py::TestY::test_z[1-2]',
  'describe › nested › it "quotes" & <tags>',
  'ünïcødé/テスト',
  '-leading-dash',
  '.',
  '..',
  '../../etc/passwd',
  '/absolute',
  'a//b',
  'trailing/',
  'percent%41',
  'tab\there',
  'nul\0byte',
  'back\\slash',
];

/** Each segment: the safe alphabet plus `%` (escapes), not `.`/`..`, no leading `-`, <= 255 bytes. */
function safePath(path: string): boolean {
  return path
    .split('/')
    .every(
      (s) =>
        /^(?!-)[A-Za-z0-9._+@=~,%-]+$/.test(s) &&
        s !== '.' &&
        s !== '..' &&
        Buffer.byteLength(s) <= 255,
    );
}

describe('testPath', () => {
  it('keeps fstests names (sections, iterations) as readable paths', () => {
    for (const id of [
      'generic/001',
      'xfs/123-long-name',
      'ext4/quick/generic/001',
      'generic/001~2',
    ]) {
      expect(testPath(id)).toBe(id);
    }
  });

  it.each(SUITE_IDS)('maps %j to safe segments and back', (id) => {
    const path = testPath(id);
    expect(safePath(path)).toBe(true);
    expect(testIdFromPath(path)).toBe(id);
  });

  it('is one-to-one on the suite names and on random strings, and round-trips them', () => {
    const random = createPrng(20261202);
    const alphabet = 'ab/.-%_ ~#>[]\u00e9\u{1f600}\\\0';
    const ids = new Set(SUITE_IDS);
    for (let i = 0; i < 3000; i++) {
      let id = '';
      const len = 1 + Math.floor(random() * 12);
      for (let j = 0; j < len; j++)
        id += [...alphabet][Math.floor(random() * [...alphabet].length)];
      ids.add(id);
    }
    const paths = new Map<string, string>();
    for (const id of ids) {
      const path = testPath(id);
      expect(safePath(path), JSON.stringify({ id, path })).toBe(true);
      expect(testIdFromPath(path)).toBe(id);
      expect(paths.get(path) ?? id, path).toBe(id);
      paths.set(path, id);
    }
  });

  it('cuts and hashes ids too long for a path; distinct long ids stay distinct', () => {
    const a = testPath(`${'x'.repeat(300)}a`);
    const b = testPath(`${'x'.repeat(300)}b`);
    expect(a).not.toBe(b);
    expect(Buffer.byteLength(a)).toBeLessThanOrEqual(255);
    expect(safePath(a)).toBe(true);
    expect(testIdFromPath(a)).toBeUndefined();
    const deep = testPath(Array.from({ length: 300 }, (_, i) => `d${i}`).join('/'));
    expect(Buffer.byteLength(deep)).toBeLessThanOrEqual(255);
  });

  it('rejects only the empty id', () => {
    expect(() => testPath('')).toThrow(expect.objectContaining({ code: 'ERR_INVALID_NAME' }));
  });
});

describe('a results store with the names other suites use', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ff-test-path-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('runs, stores, loads, records and compares them under their real ids', async () => {
    const store = await ResultsStore.open(join(dir, 'results'), { create: true });
    const ids = SUITE_IDS.filter((id) => id !== '.' && id !== '..').concat(['x'.repeat(400)]);
    const runner = new Runner({
      supervisors: [new FakeSupervisor('fake', {})],
      tests: ids.map((id) => fakeTest(id)),
      sink: store,
      probeIntervalMs: 0,
      runId: 'run-1',
    });
    const summary = await runner.run();
    expect(summary.counts.pass).toBe(ids.length);
    // Everything stays under tests/ and latest/.
    const files = await readdir(join(dir, 'results'), { recursive: true });
    for (const f of files)
      expect(relative(join(dir, 'results'), join(dir, 'results', f))).not.toMatch(/^\.\./);
    const loaded = await store.loadRun();
    expect(loaded.warnings).toEqual([]);
    expect(loaded.results.map((r) => r.testId).sort()).toEqual([...ids].sort());
    for (const r of loaded.results) {
      const json = JSON.parse(await readFile(join(r.outputDir ?? '', 'result.json'), 'utf8'));
      expect(json.testId).toBe(r.testId);
      const latest = join(dir, 'results', 'latest', ...testPath(r.testId).split('/'));
      expect(JSON.parse(await readFile(join(latest, 'result.json'), 'utf8')).testId).toBe(r.testId);
    }
    const rec = await store.record('before');
    expect(rec.tests).toBe(ids.length);
    const recorded = await store.loadRun('before');
    expect(recorded.warnings).toEqual([]);
    expect(recorded.results.map((r) => r.testId).sort()).toEqual([...ids].sort());
    for (const r of recorded.results) {
      expect((r.outputDir ?? '').split(sep)).toContain('before');
    }
  });
});
