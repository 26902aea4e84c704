import { rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { AttemptContext } from '@ff/parallelrunner';
import { shellQuote } from '@ff/parallelrunner';
import { FakeSupervisor } from '@ff/parallelrunner/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FSTest, fsTestsFromSelection } from '../src/fstest.js';
import { copyFixtureTrees } from './support/fixture-trees.js';
import { processesMatching } from './support/processes.js';
import { runShell } from './support/spawn.js';

const ctx: AttemptContext = {
  attemptId: 'a1',
  attempt: 1,
  supervisor: 'vm-1',
  host: new FakeSupervisor('vm-1'),
};

let root: string;
let plain: string;
let sectioned: string;

beforeAll(async () => {
  ({ root, plain, sectioned } = await copyFixtureTrees("fs tests 'plain'"));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function runTest(test: FSTest, options: Parameters<typeof runShell>[1] = {}) {
  const run = await runShell(test.command(ctx).command, options);
  return { run, verdict: test.evaluate(run) };
}

describe('FSTest', () => {
  it('builds a fully quoted ./check command', () => {
    const test = new FSTest({
      name: 'generic/001',
      section: 'xfs_4k',
      excludeSections: ['ext4'],
      fstestsDir: "/var/lib/it's here",
    });
    expect(test.id).toBe('generic/001');
    expect(test.command(ctx)).toEqual({
      command: "cd '/var/lib/it'\\''s here' && ./check -s xfs_4k -S ext4 generic/001",
    });
  });

  it('resolves the fstests directory per supervisor and names the artifacts', () => {
    const test = new FSTest({
      name: 'xfs/001',
      id: 'xfs_1k/xfs/001',
      section: 'xfs_1k',
      fstestsDir: (supervisor) => `/srv/${supervisor}/xfstests/`,
      timeoutMs: 5000,
    });
    expect(test.timeoutMs).toBe(5000);
    expect(test.command(ctx).command).toBe('cd /srv/vm-1/xfstests/ && ./check -s xfs_1k xfs/001');
    expect(test.artifacts(ctx)).toEqual(
      ['out.bad', 'full', 'dmesg', 'notrun', 'hints', 'core', 'kmemleak'].map(
        (s) => `/srv/vm-1/xfstests/results/xfs_1k/xfs/001.${s}`,
      ),
    );
    expect(new FSTest({ name: 'generic/002', fstestsDir: '/x' }).artifacts(ctx)[0]).toBe(
      '/x/results/generic/002.out.bad',
    );
  });

  it('is built from a selection', () => {
    const tests = fsTestsFromSelection(
      {
        tests: [
          { id: 'a/generic/001~2', name: 'generic/001', section: 'a', iteration: 2, groups: [] },
        ],
        excludeSections: ['b'],
      },
      { fstestsDir: '/x', timeoutMs: 10 },
    );
    expect(tests.map((t) => [t.id, t.name, t.section, t.excludeSections, t.timeoutMs])).toEqual([
      ['a/generic/001~2', 'generic/001', 'a', ['b'], 10],
    ]);
  });
});

describe('FSTest against the fixture ./check', () => {
  const cases: [string, string, RegExp][] = [
    ['generic/001', 'pass', /^$/],
    ['generic/009-long-name', 'pass', /^$/],
    ['generic/003', 'fail', /^- output mismatch \(see .*\/results\/generic\/003\.out\.bad\)$/],
    ['generic/004', 'skip', /^this fixture has no reflink support$/],
    ['generic/005', 'fail', /^_check_dmesg: something found in dmesg \(see .*005\.dmesg\)$/],
    ['generic/006', 'fail', /^\[failed, exit status 2\]- output mismatch/],
    ['ext4/002', 'fail', /^_check_xfs_filesystem: filesystem on \/dev\/fixture0 is inconsistent/],
    ['generic/008', 'error', /^no result line for generic\/008|^incomplete result line/],
  ];
  for (const [name, status, summary] of cases) {
    it(`${name} -> ${status}`, async () => {
      const { verdict } = await runTest(new FSTest({ name, fstestsDir: plain }));
      expect(verdict.status).toBe(status);
      expect(verdict.summary).toMatch(summary);
    });
  }

  it('leaves the artifacts where artifacts() says', async () => {
    const test = new FSTest({ name: 'generic/003', fstestsDir: plain });
    await runTest(test);
    const [outBad, , , , hints] = test.artifacts(ctx);
    expect((await stat(outBad ?? '')).isFile()).toBe(true);
    expect((await stat(hints ?? '')).isFile()).toBe(true);
  });

  it('runs one section with -s and skips sections with -S', async () => {
    const test = new FSTest({ name: 'ext4/001', section: 'ext4', fstestsDir: sectioned });
    expect((await runTest(test)).verdict.status).toBe('pass');
    const skipped = new FSTest({
      name: 'ext4/001',
      excludeSections: ['ext4'],
      fstestsDir: sectioned,
    });
    const { run, verdict } = await runTest(skipped);
    expect(run.stdout.match(/^SECTION/gm)).toHaveLength(2);
    expect(verdict).toEqual({ status: 'skip', summary: 'ext4 only (FSTYP is xfs)' });
    const notrun = new FSTest({ name: 'ext4/001', section: 'xfs_1k', fstestsDir: sectioned });
    await runTest(notrun);
    expect((await stat(notrun.artifacts(ctx)[3] ?? '')).isFile()).toBe(true);
  });

  it('is an error when a hanging test times out, and nothing is left behind', async () => {
    const test = new FSTest({ name: 'generic/007', fstestsDir: plain });
    const { run, verdict } = await runTest(test, { timeoutMs: 300 });
    expect(run.timedOut).toBe(true);
    expect(verdict.status).toBe('error');
    expect(processesMatching(join(plain, 'tests/generic/007'))).toEqual([]);
    expect(processesMatching('./tests/generic/007')).toEqual([]);
  });

  it('is an error when ./check prints Interrupted!', async () => {
    const test = new FSTest({ name: 'generic/007', fstestsDir: plain });
    const { run, verdict } = await runTest(test, {
      signal: 'SIGINT',
      signalOnOutput: 'generic/007',
      timeoutMs: 5000,
    });
    expect(run.stdout).toContain('Interrupted!');
    expect(verdict.status).toBe('error');
    expect(verdict.summary).toMatch(/^interrupted/);
  });
});

describe('the fixture ./check under busybox ash, dash and bash', () => {
  const auto =
    'generic/001 generic/002 generic/003 generic/004 generic/005 generic/006 generic/009-long-name xfs/001 xfs/002 ext4/001 ext4/002';
  const shells: string[][] = [['busybox', 'sh'], ['dash'], ['bash']];
  it('prints the same results in every shell', async () => {
    const outputs: string[] = [];
    for (const shell of shells) {
      const shellCmd = shell.join(' ');
      const run = await runShell(
        `cd ${shellQuote(plain)} && rm -rf results && ${shellCmd} ./check ${auto}`,
        {
          shell,
          timeoutMs: 60_000,
        },
      );
      expect(run.exitCode, shellCmd).toBe(1);
      expect(run.stdout, shellCmd).toMatch(/^Failed 4 of 9 tests$/m);
      expect(run.stdout, shellCmd).toMatch(/^Not run: generic\/004 ext4\/001$/m);
      // diff's file header lines differ between busybox and GNU diff (timestamps, quoting).
      outputs.push(run.stdout.replace(/^ {4}(---|\+\+\+) .*$/gm, '$1').replace(/ \d+s/g, ' Ns'));
    }
    expect(outputs[1]).toBe(outputs[0]);
    expect(outputs[2]).toBe(outputs[0]);
  }, 200_000);
});
