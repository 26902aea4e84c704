import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runShellSuite } from '../src/suite.js';

const here = dirname(fileURLToPath(import.meta.url));
const main = join(here, '..', 'src', 'main.ts');
const tsx = join(here, '..', '..', '..', 'node_modules', '.bin', 'tsx');
const run = promisify(execFile);

let tmp: string;
beforeEach(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'shell-suite-test-'));
});
afterEach(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('the shell suite runner script', () => {
  it('runs the bundled suite, retries the flaky test, records results and reuses history', async () => {
    const results = join(tmp, 'results');
    const first = await run(tsx, [main, '--jobs', '2', '--results', results]);
    const lines = first.stdout.trim().split('\n');
    expect(lines.at(-1)).toBe('shell suite: 4 pass, 0 fail, 1 skip, 0 error');
    expect(lines).toContain('retry shell/flaky-network: connection reset by peer');
    expect(first.stdout).toMatch(/^skip {2}shell\/needs-tool .*\(frobnicate is not installed\)$/m);

    // The arithmetic test's log was collected as an artifact of its attempt.
    const attempts = await readdir(join(results, 'tests', 'shell', 'arithmetic'));
    expect(attempts).toHaveLength(1);
    const log = join(results, 'tests', 'shell', 'arithmetic', `${attempts[0]}`, 'artifacts');
    expect(await readFile(join(log, 'arithmetic.log'), 'utf8')).toBe('6 * 7 = 42\n');

    // With history, the slowest test is dispatched first.
    const second = await run(tsx, [main, '--jobs', '1', '--results', results]);
    expect(second.stdout.split('\n')[0]).toMatch(/^pass {2}shell\/slow-sort /);
  });

  it('exits 2 on a bad option', async () => {
    await expect(run(tsx, [main, '--jobs', 'many'])).rejects.toMatchObject({ code: 2 });
  });
});

describe('runShellSuite', () => {
  it('reports failures, hard errors and timeouts; the script exits 1 for them', async () => {
    const suite = join(tmp, 'suite');
    await mkdir(suite);
    await writeFile(join(suite, 'broken.sh'), 'echo "FAIL: expected 1, got 2"\nexit 1\n');
    await writeFile(join(suite, 'setup.sh'), 'echo "FAIL: no scratch device"\nexit 99\n');
    // The runner script exits 1 on failures (before the hanging test joins the suite).
    await expect(run(tsx, [main, suite])).rejects.toMatchObject({ code: 1 });
    await writeFile(join(suite, 'hangs.sh'), 'sleep 6.2531\n');
    const summary = await runShellSuite({ dir: suite, retries: 0, timeoutMs: 200 });
    const byId = Object.fromEntries(summary.results.map((r) => [r.testId, r]));
    expect(byId['shell/broken']).toMatchObject({ status: 'fail', summary: 'expected 1, got 2' });
    expect(byId['shell/setup']).toMatchObject({ status: 'error', summary: 'no scratch device' });
    expect(byId['shell/hangs']).toMatchObject({ status: 'error', timedOut: true });
    const ps = await run('ps', ['-eo', 'args']);
    expect(ps.stdout).not.toContain('sleep 6.2531');
  });
});
