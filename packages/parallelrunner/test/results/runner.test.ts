import { readFile, readdir, readlink, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { junitXml } from '../../src/reports/junit.js';
import { compare } from '../../src/results/compare.js';
import { formatComparison } from '../../src/results/format-comparison.js';
import { ResultsStore } from '../../src/results/store.js';
import { Runner } from '../../src/runner/runner.js';
import { FakeSupervisor } from '../../src/testing/fake-supervisor.js';
import { fakeTest } from '../../src/testing/fake-test.js';
import { tempDir } from './helpers.js';

let tmp: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => {
  tmp = await tempDir();
});
afterEach(async () => {
  await tmp.cleanup();
});

function supervisor(): FakeSupervisor {
  return new FakeSupervisor('vm-1', {
    commands: {
      'g/pass': { stdout: 'all good\n', durationMs: 5 },
      'g/fail': { exitCode: 1, stderr: 'output mismatch\n' },
      'g/skip': { exitCode: 77, stdout: 'not run: no scratch\n' },
      'g/flaky': [{ exitCode: 1, stderr: 'oops\n' }, { exitCode: 0 }],
      'g/crash': [
        { crash: true, evidence: 'Kernel panic' },
        { exitCode: 0, stdout: 'fine\n' },
      ],
    },
    traceText: 'dmesg line\n',
  });
}

const ids = ['g/pass', 'g/fail', 'g/skip', 'g/flaky', 'g/crash'];

async function runOnce(store: ResultsStore, runId: string) {
  await using sup = supervisor();
  const runner = new Runner({
    supervisors: [sup],
    tests: ids.map((id) => fakeTest(id)),
    sink: store,
    retryFailures: 1,
    probeIntervalMs: 0,
    traces: [{ name: 'dmesg', command: 'dmesg -W' }],
    runId,
  });
  return runner.run();
}

describe('ResultsStore behind the Runner', () => {
  it('records a whole run, reads it back and compares it with itself', async () => {
    const store = await ResultsStore.open(join(tmp.path, 'results'), {
      create: true,
      commandLine: ['ff', 'g/pass'],
    });
    const summary = await runOnce(store, 'run-1');
    expect(summary.counts).toEqual({ pass: 3, fail: 1, skip: 1, error: 0 });

    const run = await store.loadRun();
    expect(run.warnings).toEqual([]);
    expect(run.runId).toBe('run-1');
    expect(run.results.map((r) => [r.testId, r.status, r.retries, r.reschedules, r.flaky])).toEqual(
      [
        ['g/crash', 'pass', 0, 1, false],
        ['g/fail', 'fail', 1, 0, false],
        ['g/flaky', 'pass', 1, 0, true],
        ['g/pass', 'pass', 0, 0, false],
        ['g/skip', 'skip', 0, 0, false],
      ],
    );
    expect(await store.failedTests()).toEqual(['g/fail']);

    const pass = run.results.find((r) => r.testId === 'g/pass');
    const dir = pass?.outputDir ?? '';
    expect(await readFile(join(dir, 'stdout'), 'utf8')).toBe('all good\n');
    expect(await readFile(join(dir, 'dmesg'), 'utf8')).toBe('dmesg line\n');
    expect(await readlink(join(store.dir, 'latest', 'g', 'pass'))).toBe(
      `../../tests/g/pass/${pass?.attemptId}`,
    );
    // every attempt has its own directory, crashed ones included
    expect(await readdir(join(store.dir, 'tests', 'g', 'crash'))).toHaveLength(2);
    // the crashed attempt keeps its evidence (a VM's console excerpt) next to its output
    const crashed = run.results.find((r) => r.testId === 'g/crash')?.attempts[0];
    expect(await readFile(join(crashed?.outputDir ?? '', 'crash-evidence'), 'utf8')).toBe(
      'Kernel panic\n',
    );
    // crashed attempts do not feed the duration history
    expect(store.history.recent('g/crash')).toHaveLength(1);
    expect(store.history.recent('g/flaky')).toHaveLength(2);

    const self = compare(run, run);
    expect(self.changed).toBe(false);
    expect(formatComparison(self)).toContain('No changes');
    expect(self.flaky).toEqual(['g/flaky']);
    expect(self.crashReschedules).toEqual([{ id: 'g/crash', count: 1 }]);

    const xml = junitXml(summary);
    expect(xml).toContain('<system-out>all good\n</system-out>');

    const rec = await store.record('baseline');
    expect(rec.tests).toBe(5);
    await runOnce(store, 'run-2');
    const c = compare(await store.loadRun('baseline'), await store.loadRun());
    expect(c.changed).toBe(false);
    expect(c.a).toEqual({ kind: 'recording', name: 'baseline', tests: 5, partial: null });
  });

  it('a results directory that became unusable refuses the run before any supervisor starts', async () => {
    const root = join(tmp.path, 'results');
    const store = await ResultsStore.open(root, { create: true });
    await rm(root, { recursive: true });
    await writeFile(root, 'not a directory any more');
    const sup = supervisor();
    const runner = new Runner({ supervisors: [sup], tests: [fakeTest('g/pass')], sink: store });
    await expect(runner.run()).rejects.toMatchObject({ code: 'ERR_RESULTS' });
    expect(sup.starts).toBe(0);
    expect(sup.state).toBe('idle');
  });
});
