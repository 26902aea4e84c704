/**
 * Batched `./check` on real QEMU VMs (the test appliance, TCG here): statuses equal one ./check
 * per test, and a kernel panic in the middle of a batch loses no finished result and reruns
 * only the tests that had not run.
 */
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ApplianceInfo } from '../../../packages/fstests/src/qemu/appliance.js';
import { ensureAppliance } from '../../../packages/fstests/test/support/appliance.js';
import { describeWith } from '../../../packages/parallelrunner/test/support/e2e.js';
import { ff } from './support/env.js';

const describe = describeWith('qemu');

let app: ApplianceInfo;
let dir: string;

beforeAll(async () => {
  app = await ensureAppliance();
  dir = await mkdtemp(join(tmpdir(), 'ff-e2e-batch-'));
}, 120_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A run directory with its config.toml (QEMU VMs booting the appliance). */
async function runDir(
  name: string,
  runner: string,
): Promise<{ cwd: string; env: Record<string, string> }> {
  const cwd = join(dir, name);
  await mkdir(cwd, { recursive: true });
  const config = [
    `fstests = ${JSON.stringify(app.hostSuite)}`,
    '[test_runner]',
    runner,
    '[qemu]',
    `kernel = ${JSON.stringify(app.kernel)}`,
    `initrd = ${JSON.stringify(app.initrd)}`,
    `ssh_key = ${JSON.stringify(app.privateKey)}`,
    'memory = 512',
    'timeout = 240',
  ].join('\n');
  await writeFile(join(cwd, 'config.toml'), `${config}\n`);
  return { cwd, env: { HOME: dir } };
}

/** Final status per test from the plain view's lines. */
function statuses(stdout: string): Record<string, string> {
  const lines = stdout.matchAll(/^\[[\d:]+\] (PASS|FAIL|SKIP|ERROR) +(\S+) /gm);
  return Object.fromEntries([...lines].map((m) => [m[2] ?? '', m[1] ?? '']));
}

async function result(cwd: string, id: string) {
  return JSON.parse(await readFile(join(cwd, 'results', 'latest', id, 'result.json'), 'utf8'));
}

describe('ff batches ./check on QEMU VMs', () => {
  it('gives the statuses of one ./check per test', async () => {
    const at = await runDir('equal', 'probe_interval = 5');
    const alone = await ff(['-g', 'auto', '--qemu.num', '2', '--batch', 'off'], at);
    expect(alone.stderr).not.toMatch(/^ff: /m);
    expect(alone.code).toBe(1); // the suite's auto group fails on purpose
    // The first run wrote the duration history: the second batches.
    const batched = await ff(['-g', 'auto', '--qemu.num', '2'], at);
    expect(batched.stderr).toMatch(/^batches: up to 600 s of tests known from history/m);
    expect(batched.code).toBe(1);
    expect(statuses(batched.stdout)).toEqual(statuses(alone.stdout));
    expect(Object.keys(statuses(alone.stdout)).length).toBeGreaterThanOrEqual(10);
    // A test run in a batch has no exit status of its own.
    const pass = await result(at.cwd, 'generic/001');
    expect(pass).toMatchObject({ status: 'pass', outcome: 'completed', exitCode: null });
    const failed = await result(at.cwd, 'generic/003');
    expect(failed.status).toBe('fail');
  }, 900_000);

  it('a panic mid-batch keeps the finished results and reruns only the unfinished tests', async () => {
    const at = await runDir('panic', 'max_supervisor_restarts = 2\nprobe_interval = 5');
    // A duration history in which five tests are short and xfs/002 long (it runs alone, last:
    // the order is kept): the five share one ./check, which runs them sorted: generic/001,
    // generic/002, generic/009-long-name, then generic/900 panics the kernel.
    const short = ['generic/001', 'generic/002', 'generic/009-long-name', 'generic/900', 'xfs/001'];
    const tests = [...short, 'xfs/002'];
    const results = join(at.cwd, 'results');
    await mkdir(results, { recursive: true });
    await writeFile(join(results, '.ff-results.json'), '{"schema":1}\n');
    const history = Object.fromEntries(tests.map((t) => [t, [t === 'xfs/002' ? 1e6 : 1000]]));
    await writeFile(join(results, 'history.json'), JSON.stringify({ schema: 1, tests: history }));
    const r = await ff([...tests, '--qemu.num', '1', '-v', '--slowest-first=false'], at);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/generic\/900: rescheduled/);
    expect(r.stdout).toMatch(/ERROR +generic\/900 .*killed its supervisor 2 times/);
    for (const id of ['generic/001', 'generic/002', 'generic/009-long-name']) {
      const finished = await result(at.cwd, id);
      // Run in the batch (a test run alone has ./check's exit status), before the panic.
      expect(finished, id).toMatchObject({ status: 'pass', attempt: 1, exitCode: null });
      expect(await readdir(join(results, 'tests', id)), id).toHaveLength(1);
      expect(r.stdout.match(new RegExp(`PASS +${id} `, 'g')), id).toHaveLength(1);
    }
    // xfs/001 had not run when the VM died: it ran later, once, as its first attempt.
    expect(await result(at.cwd, 'xfs/001')).toMatchObject({ status: 'pass', attempt: 1 });
    expect(await readdir(join(results, 'tests', 'xfs/001'))).toHaveLength(1);
    const crashed = await result(at.cwd, 'generic/900');
    expect(crashed.crashEvidence).toMatch(/Kernel panic - not syncing/);
  }, 900_000);
});
