/**
 * The fixture's ./check run batched (CheckBatcher) and one test per ./check, on a local process
 * slot: the same statuses, one ./check per batch, every result as check prints it.
 */
import { rm } from 'node:fs/promises';
import {
  type CommandSpec,
  type ExecOptions,
  LocalSupervisor,
  type RunSummary,
  Runner,
  type RunnerOptions,
} from '@ff/parallelrunner';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckBatcher } from '../src/check-batcher.js';
import { collectTests } from '../src/collect/collect.js';
import { fsTestsFromSelection } from '../src/fstest.js';
import { copyFixtureTrees } from './support/fixture-trees.js';

let root: string;
let plain: string;
let sectioned: string;

beforeAll(async () => {
  ({ root, plain, sectioned } = await copyFixtureTrees());
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** A local slot that remembers the commands it ran. */
class Slot extends LocalSupervisor {
  readonly commands: string[] = [];
  override exec(command: CommandSpec, options?: ExecOptions) {
    this.commands.push(command.command);
    return super.exec(command, options);
  }
}

async function run(
  dir: string,
  selection: Parameters<typeof collectTests>[1],
  batched: boolean,
  extra: Partial<RunnerOptions> = {},
  known: Readonly<Record<string, number>> = {},
): Promise<{ summary: RunSummary; commands: string[] }> {
  const picked = await collectTests(dir, selection);
  const tests = fsTestsFromSelection(picked, { fstestsDir: dir });
  const slot = new Slot({ name: 'slot' });
  const durations = new Map(tests.map((t) => [t.id, known[t.id] ?? 1000]));
  const runner = new Runner({
    supervisors: [slot],
    tests,
    probeIntervalMs: 0,
    ...(batched ? { batching: { batcher: new CheckBatcher(), durations } } : {}),
    ...extra,
  });
  return { summary: await runner.run(), commands: slot.commands };
}

const statuses = (s: RunSummary) =>
  Object.fromEntries(s.results.map((r) => [r.testId, `${r.status} ${r.summary}`]));
const batches = (commands: readonly string[]) =>
  commands.filter((c) => (c.match(/ (generic|xfs|ext4)\//g) ?? []).length > 1);

describe('CheckBatcher on the fixture ./check', () => {
  it('gives the statuses of one ./check per test, with far fewer ./check runs', async () => {
    const selection = { groups: ['auto', 'abnormal'] };
    const alone = await run(plain, selection, false);
    const batched = await run(plain, selection, true);
    expect(statuses(batched.summary)).toEqual(statuses(alone.summary));
    expect(alone.summary.results.length).toBeGreaterThan(10);
    expect(batches(batched.commands).length).toBeGreaterThan(0);
    expect(batched.commands.length).toBeLessThan(alone.commands.length / 2);
    expect(statuses(batched.summary)['generic/008']).toMatch(/^error/);
    expect(statuses(batched.summary)['generic/003']).toMatch(/^fail - output mismatch/);
    const pass = batched.summary.results.find((r) => r.testId === 'generic/001');
    expect(pass?.durationMs).toBe(0); // check's own seconds, not the batch's wall time
  }, 120_000);

  it('runs -s sections batched per section, -i iterations never in one ./check', async () => {
    const selection = { groups: ['auto'], sections: ['xfs_4k', 'ext4'], iterate: 2 };
    const alone = await run(sectioned, selection, false);
    const batched = await run(sectioned, selection, true);
    expect(statuses(batched.summary)).toEqual(statuses(alone.summary));
    for (const c of batches(batched.commands)) {
      expect(c).toMatch(/\.\/check -s (xfs_4k|ext4) /);
      const names = c.split(' ').filter((w) => w.includes('/') && !w.startsWith('/'));
      expect(new Set(names).size).toBe(names.length);
    }
  }, 120_000);

  it('a sectioned local.config without -s: results at the end of ./check, as run alone', async () => {
    const selection = { tests: ['generic/001', 'ext4/001', 'generic/004', 'xfs/002'] };
    const alone = await run(sectioned, selection, false);
    const batched = await run(sectioned, selection, true);
    expect(statuses(batched.summary)).toEqual(statuses(alone.summary));
    expect(batches(batched.commands).length).toBeGreaterThan(0);
  }, 120_000);

  it('a hanging test times out inside the batch; the others keep or get their results', async () => {
    // xfs/002, known to be long, runs alone: the four others share one ./check.
    const tests = ['generic/001', 'generic/002', 'generic/007', 'xfs/001', 'xfs/002'];
    const { summary, commands } = await run(
      plain,
      { tests },
      true,
      { testTimeoutMs: 3000 },
      { 'xfs/002': 1e6 },
    );
    expect(statuses(summary)).toMatchObject({
      'generic/001': 'pass ',
      'generic/002': 'pass ',
      'generic/007': 'error timed out after 3s',
      'xfs/001': 'pass ',
    });
    expect(batches(commands)[0]).toMatch(/generic\/001 generic\/002 generic\/007 xfs\/001$/);
  }, 120_000);
});
