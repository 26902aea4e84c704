import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { FakeSupervisor } from '@ff/parallelrunner/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateConfig } from '../../src/config/load.js';
import {
  type RunHistory,
  type SupervisorKind,
  planRun,
  registerSupervisorKind,
  supervisorChecks,
} from '../../src/plan/index.js';
import { configWith } from '../support/config.js';

/** The fixture fstests tree (packages/fstests/test/fixtures/fstests). */
const FSTESTS = resolve(import.meta.dirname, '../fixtures/fstests');

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ff-plan-run-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function config(overrides: Record<string, unknown>) {
  return configWith(dir, { fstests: FSTESTS, ...overrides });
}

const HOSTS = { custom_vm: { vms: ['127.0.0.1:1:/fstests', '127.0.0.1:2:/fstests'] } };

function history(failed: string[] = [], durations: Record<string, number> = {}): RunHistory {
  return {
    failedTests: async () => failed,
    durations: async () => new Map(Object.entries(durations)),
  };
}

/** The notes but the batching one (see the batching test). */
const orderNotes = (plan: { notes: readonly string[] }) =>
  plan.notes.filter((n) => !n.startsWith('batches:'));

const ids = (plan: { selected: readonly { id: string }[] }) => plan.selected.map((t) => t.id);

describe('planRun ordering (the one owner)', () => {
  it('keeps the collection order when neither -r nor slowest first asks otherwise', async () => {
    const plan = await planRun(
      config({ ...HOSTS, test_selection: { groups: ['quick'], slowest_first: false } }),
      { baseDir: dir, history: history() },
    );
    expect(ids(plan)).toEqual([...ids(plan)].sort());
    expect(orderNotes(plan)).toEqual([]);
  });

  it('orders longest first from the history and says how much it knew', async () => {
    const plan = await planRun(
      config({ ...HOSTS, test_selection: { tests: ['generic/001', 'generic/002', 'xfs/001'] } }),
      {
        baseDir: dir,
        history: history([], { 'generic/002': 50, 'xfs/001': 90 }),
      },
    );
    expect(ids(plan)[0]).toBe('xfs/001');
    expect(ids(plan).at(-1)).toBe('generic/002');
    expect(plan.tests.map((t) => t.id)).toEqual(ids(plan));
    expect(orderNotes(plan)).toEqual(['order: longest first, durations known for 2 of 3 tests']);
  });

  it('shuffles reproducibly with -r and a seed, and then does not sort', async () => {
    const run = (seed: number) =>
      planRun(config({ ...HOSTS, test_selection: { groups: ['all'], randomize: true, seed } }), {
        baseDir: dir,
        history: history([], { 'generic/001': 1, 'generic/002': 99 }),
      });
    const [a, b, c] = await Promise.all([run(42), run(42), run(43)]);
    expect(a.seed).toBe(42);
    expect(ids(a)).toEqual(ids(b));
    expect(ids(a)).not.toEqual(ids(c));
    expect(orderNotes(a)).toEqual(['random order with seed 42 (repeat it with --seed 42)']);
  });
});

describe('planRun rerun, batching, start deadlines, listing', () => {
  it('plans batching from the same durations, and says what it batches', async () => {
    const on = await planRun(config({ ...HOSTS, test_selection: { tests: ['generic/001'] } }), {
      baseDir: dir,
      history: history([], { 'generic/001': 1000 }),
    });
    expect(on.runnerOptions.batching?.durations.get('generic/001')).toBe(1000);
    expect(on.notes.at(-1)).toMatch(
      /^batches: up to \d+ s of tests known from history per \.\/check \(1 of 1\)/,
    );
    const off = await planRun(
      config({
        ...HOSTS,
        test_selection: { tests: ['generic/001'] },
        test_runner: { batch: 'off' },
      }),
      { baseDir: dir, history: history() },
    );
    expect(off.runnerOptions.batching).toBeUndefined();
    expect(off.notes.some((n) => n.startsWith('batches:'))).toBe(false);
  });

  it('reruns exactly the failures of the source, from every test when none are named', async () => {
    const plan = await planRun(config({ ...HOSTS, test_selection: { rerun_failures: true } }), {
      baseDir: dir,
      history: history(['generic/003', 'xfs/002', 'generic/404']),
    });
    expect([...ids(plan)].sort()).toEqual(['generic/003', 'xfs/002']);
    expect(plan.notes.slice(0, 2)).toEqual([
      'rerun: 2 of the 3 failed or errored tests of the latest results',
      'rerun: not in the selection, left out: generic/404',
    ]);
  });

  it('says when there is nothing to rerun', async () => {
    await expect(
      planRun(config({ ...HOSTS, test_selection: { rerun_failures: 'base' } }), {
        baseDir: dir,
        history: history([]),
      }),
    ).rejects.toMatchObject({
      code: 'ERR_NOTHING_TO_RERUN',
      message: 'nothing to rerun: base has no failed or errored test',
    });
  });

  it('carries each supervisor start deadline and gives the runner the longest', async () => {
    const plan = await planRun(
      config({ ...HOSTS, custom_vm: { ...HOSTS.custom_vm, timeout: 90 } }),
      { baseDir: dir, history: history() },
    );
    expect(plan.supervisors.map((p) => p.startTimeoutMs)).toEqual([90_000, 90_000]);
    expect(plan.runnerOptions.startTimeoutMs).toBe(90_000);
    const short = await planRun(
      config({ ...HOSTS, custom_vm: { ...HOSTS.custom_vm, timeout: 5 } }),
      {
        baseDir: dir,
        history: history(),
      },
    );
    expect(short.runnerOptions.startTimeoutMs).toBe(60_000);
  });

  it('plans only the selection for --list, and nothing to run on is a usage error', async () => {
    const listed = await planRun(config({ test_selection: { groups: ['quick'], list: true } }), {
      baseDir: dir,
      history: history(),
    });
    expect(listed.supervisors).toEqual([]);
    expect(listed.selected.length).toBeGreaterThan(0);
    await expect(planRun(config({}), { baseDir: dir, history: history() })).rejects.toMatchObject({
      code: 'ERR_NO_SUPERVISORS',
      category: 'usage',
    });
  });

  it('plans the demo configuration object (QEMU VMs, the VM timeout as start deadline)', async () => {
    const demo = validateConfig(
      {
        fstests: FSTESTS,
        test_selection: { groups: ['auto'] },
        qemu: {
          num: 2,
          kernel: '/k/bzImage',
          initrd: '/k/initrd',
          ssh_key: '/k/key',
          timeout: 120,
        },
        output: { results_dir: join(dir, 'demo-results') },
      },
      'ff demo',
    );
    const plan = await planRun(demo, { baseDir: dir, history: history() });
    expect(plan.supervisors.map((p) => p.supervisor.name)).toEqual(['qemu-1', 'qemu-2']);
    expect(plan.runnerOptions.startTimeoutMs).toBe(120_000);
    expect(plan.consoleDir).toBe(join(dir, 'demo-results', 'consoles'));
  });
});

describe('registerSupervisorKind (what README.md shows)', () => {
  it('plans and doctors a registered kind with the built-in ones, and unregisters it', async () => {
    const fakeKind: SupervisorKind = {
      name: 'fake',
      enabledBy: { key: '[fake] num', flag: '--fake' },
      configured: () => true,
      plan: () => [
        {
          supervisor: new FakeSupervisor('fake-1'),
          fstestsDir: '/fstests',
          startTimeoutMs: 200_000,
        },
      ],
      doctorChecks: async () => [{ name: 'fake', ok: true, required: true, detail: 'ready' }],
    };
    const unregister = registerSupervisorKind(fakeKind);
    try {
      expect(() => registerSupervisorKind(fakeKind)).toThrow(/already registered/);
      const plan = await planRun(config({}), { baseDir: dir, history: history() });
      expect(plan.supervisors.map((p) => p.supervisor.name)).toEqual(['fake-1']);
      expect(plan.runnerOptions.startTimeoutMs).toBe(200_000);
      expect(await supervisorChecks(config({}))).toEqual([
        { name: 'fake', ok: true, required: true, detail: 'ready' },
      ]);
    } finally {
      unregister();
    }
    const checks = await supervisorChecks(config({}));
    expect(checks[0]?.fix).toBe(
      'set [custom_vm] vms, [qemu] num or [mkosi] num in config.toml (or --vms, --qemu.num, -n)',
    );
  });
});
