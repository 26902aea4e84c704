import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { RunnerOptions } from '../../src/runner/options.js';
import { type FakeMember, fakeBatchExec, fakeBatcher } from '../../src/testing/fake-batch.js';
import { fakeTest } from '../../src/testing/fake-test.js';
import { FakeLedger } from '../../src/testing/ledger.js';
import { fakes, ofType, resultOf, runRecorded } from './helpers.js';

/**
 * `ids` (known short, 1 ms each) followed by an anchor test known to be long: with one
 * supervisor the short ones form one batch and the anchor runs alone after them.
 */
function setup(
  ids: readonly string[],
  members: Readonly<Record<string, FakeMember | readonly FakeMember[]>>,
  extra: Partial<RunnerOptions> = {},
  supervisors = 1,
) {
  const ledger = new FakeLedger();
  const onExec = fakeBatchExec(members);
  const sups = fakes(
    Array.from({ length: supervisors }, () => ({ onExec })),
    ledger,
  );
  const all = [...ids, 'anchor'];
  const durations = new Map(all.map((id) => [id, id === 'anchor' ? 1_000_000 : 1]));
  const options: RunnerOptions = {
    supervisors: sups,
    tests: all.map((id) => fakeTest(id)),
    batching: { batcher: fakeBatcher(), durations },
    ...extra,
  };
  return { ledger, sups, options };
}

/** Tests `a` and `b` (short, one batch) and `anchor` (long, alone), batched by `fakeBatcher`. */
function twoAndAnchor(artifacts = false): Pick<RunnerOptions, 'tests' | 'batching'> {
  const ids = ['a', 'b', 'anchor'];
  return {
    tests: ids.map((id) => fakeTest(id, artifacts ? { artifacts: [`/logs/${id}`] } : {})),
    batching: {
      batcher: fakeBatcher(),
      durations: new Map(ids.map((id) => [id, id === 'anchor' ? 1e6 : 1])),
    },
  };
}

const commands = (ledger: FakeLedger) =>
  ledger.execs.filter((e) => !e.command.startsWith('trace:')).map((e) => e.command);

describe('Runner batches', () => {
  it('runs short known tests in one command and records one result per test', async () => {
    const { ledger, options } = setup(['t/0', 't/1', 't/2'], {
      't/1': { status: 'fail', durationMs: 5 },
      't/2': { status: 'skip' },
    });
    const { summary, events } = await runRecorded(options);
    expect(commands(ledger)).toEqual(['fake-batch t/0 t/1 t/2', 'anchor']);
    expect(resultOf(summary, 't/0')).toMatchObject({ status: 'pass', attempt: 1 });
    expect(resultOf(summary, 't/1')).toMatchObject({ status: 'fail', durationMs: 5 });
    expect(resultOf(summary, 't/2')).toMatchObject({ status: 'skip', supervisor: 'fake-0' });
    expect(ofType(events, 'test:started').map((e) => e.testId)).toEqual([
      't/0',
      't/1',
      't/2',
      'anchor',
    ]);
    expect(summary.supervisors[0]).toMatchObject({ attempts: 4, deaths: 0 });
  });

  it('records each result as the output attributes it, while the batch still runs', async () => {
    const { ledger, options } = setup(['t/0', 't/1'], {
      't/0': { durationMs: 5 },
      't/1': { durationMs: 200 },
    });
    const seen: string[] = [];
    const { events } = await runRecorded({
      ...options,
      sink: {
        beginAttempt: async () => ({
          dir: '/nowhere',
          artifactsDir: '/nowhere/artifacts',
          tracePath: (name) => `/nowhere/${name}`,
          write: () => undefined,
          finish: async (r) => {
            seen.push(`${r.testId}: batch ${ledger.execs[0]?.end}`);
          },
        }),
      },
    });
    expect(seen[0]).toBe('t/0: batch running');
    expect(seen).toHaveLength(3);
    expect(ofType(events, 'test:finished')[0]?.result.testId).toBe('t/0');
  });

  it("files each test's output, trace and artifacts under its own attempt", async () => {
    const ledger = new FakeLedger();
    const sups = fakes(
      [
        {
          onExec: fakeBatchExec({ a: { output: 'from a\n' }, b: { output: 'from b\n' } }),
          files: { '/logs/a': 'a log', '/logs/b': 'b log' },
        },
      ],
      ledger,
    );
    const written: string[] = [];
    const traced: string[] = [];
    const root = await mkdtemp(join(tmpdir(), 'ff-batch-'));
    onTestFinished(() => rm(root, { recursive: true, force: true }));
    const { summary } = await runRecorded({
      supervisors: sups,
      ...twoAndAnchor(true),
      traces: [{ name: 'dmesg', command: 'dmesg -W' }],
      sink: {
        beginAttempt: async (test) => ({
          dir: `/results/${test.id}`,
          artifactsDir: join(root, test.id),
          tracePath: (name) => {
            traced.push(`${test.id} ${name}`);
            return join(root, `${test.id}.${name}`);
          },
          write: (stream, chunk) => written.push(`${test.id} ${stream} ${chunk.toString()}`),
          finish: async () => undefined,
        }),
      },
    });
    expect(written).toEqual(['a stdout from a\n', 'b stdout from b\n']);
    expect(traced).toEqual(['a dmesg', 'b dmesg', 'anchor dmesg']);
    expect(ledger.runsOf('trace: dmesg -W')).toHaveLength(3);
    expect(resultOf(summary, 'a').outputDir).toBe('/results/a');
    expect(summary.results.map((r) => r.summary)).toEqual(['', '', '']);
    expect(await readFile(join(root, 'a', 'a'), 'utf8')).toBe('a log');
    expect(await readFile(join(root, 'b', 'b'), 'utf8')).toBe('b log');
  });

  it('a crash mid-batch: finished tests keep their results, the running one is the crashed one, the rest rerun unrun', async () => {
    const { ledger, options } = setup(['t/0', 't/1', 't/2', 't/3'], {
      't/1': [{ crash: true, evidence: 'Kernel panic', durationMs: 2 }, {}],
    });
    const { summary, events } = await runRecorded(options);
    expect(commands(ledger)).toEqual([
      'fake-batch t/0 t/1 t/2 t/3',
      't/1',
      'fake-batch t/2 t/3',
      'anchor',
    ]);
    expect(resultOf(summary, 't/0').attempts).toHaveLength(1);
    const crashed = resultOf(summary, 't/1');
    expect(crashed).toMatchObject({ status: 'pass', attempt: 2, reschedules: 1 });
    expect(crashed.attempts[0]).toMatchObject({
      outcome: 'crashed',
      crashEvidence: 'Kernel panic',
    });
    for (const id of ['t/2', 't/3'])
      expect(resultOf(summary, id)).toMatchObject({ status: 'pass', attempt: 1, reschedules: 0 });
    expect(ofType(events, 'supervisor:died')).toEqual([
      expect.objectContaining({ supervisor: 'fake-0', testId: 't/1' }),
    ]);
    expect(ofType(events, 'test:rescheduled').map((e) => e.result.testId)).toEqual(['t/1']);
    expect(summary.supervisors[0]).toMatchObject({ deaths: 1, restarts: 1 });
  });

  it('a test that keeps crashing counts against maxSupervisorRestarts, alone after its first crash', async () => {
    const { ledger, options } = setup(
      ['t/0', 't/1', 't/2'],
      { 't/1': { crash: true } },
      {
        maxSupervisorRestarts: 2,
      },
    );
    const { summary } = await runRecorded(options);
    expect(commands(ledger)).toEqual(['fake-batch t/0 t/1 t/2', 't/1', 't/2', 'anchor']);
    expect(resultOf(summary, 't/1')).toMatchObject({
      status: 'error',
      outcome: 'crashed',
      summary: expect.stringMatching(/^killed its supervisor 2 times/),
    });
    expect(summary.counts).toEqual({ pass: 3, fail: 0, skip: 0, error: 1 });
  });

  it('a death before the first test starts is blamed on the first test', async () => {
    const ledger = new FakeLedger();
    const sups = fakes(
      [{ commands: { 'fake-batch a b': [{ crash: true }] }, onExec: fakeBatchExec({}) }],
      ledger,
    );
    const { summary, events } = await runRecorded({
      supervisors: sups,
      ...twoAndAnchor(),
    });
    expect(ofType(events, 'supervisor:died')[0]).toMatchObject({ testId: 'a' });
    expect(resultOf(summary, 'a')).toMatchObject({ status: 'pass', reschedules: 1 });
    expect(resultOf(summary, 'b')).toMatchObject({ status: 'pass', reschedules: 0, attempt: 1 });
  });

  it('applies the per-test timeout to each test inside a batch; the rest rerun', async () => {
    const { ledger, sups, options } = setup(
      ['t/0', 't/1', 't/2'],
      { 't/0': { durationMs: 30 }, 't/1': [{ hang: true }, {}], 't/2': { durationMs: 30 } },
      { testTimeoutMs: 100 },
    );
    const { summary, events } = await runRecorded(options);
    expect(commands(ledger)).toEqual(['fake-batch t/0 t/1 t/2', 't/2', 'anchor']);
    expect(resultOf(summary, 't/0')).toMatchObject({ status: 'pass' });
    expect(resultOf(summary, 't/1')).toMatchObject({
      status: 'error',
      timedOut: true,
      summary: 'timed out after 100ms',
      outcome: 'completed',
    });
    expect(resultOf(summary, 't/2')).toMatchObject({ status: 'pass', attempt: 1 });
    expect(ledger.execs[0]?.end).toBe('canceled');
    expect(ofType(events, 'supervisor:died')).toEqual([]);
    expect(sups[0]?.starts).toBe(1);
  });

  it('a 30 ms test in a batch is not killed by a 100 ms timeout that a whole batch would exceed', async () => {
    const ids = ['t/0', 't/1', 't/2', 't/3', 't/4'];
    const { summary } = await runRecorded(
      setup(ids, Object.fromEntries(ids.map((id) => [id, { durationMs: 30 }])), {
        testTimeoutMs: 100,
      }).options,
    );
    expect(summary.counts).toEqual({ pass: 6, fail: 0, skip: 0, error: 0 });
  });

  it('retries a failed test of a batch and detects a flaky one', async () => {
    const { summary, events } = await runRecorded(
      setup(['t/0', 't/1', 't/2'], { 't/1': [{ status: 'fail' }, {}] }, { retryFailures: 1 })
        .options,
    );
    expect(resultOf(summary, 't/1')).toMatchObject({
      status: 'pass',
      retries: 1,
      flaky: true,
      attempt: 2,
    });
    expect(ofType(events, 'test:retried').map((e) => e.result.testId)).toEqual(['t/1']);
    expect(resultOf(summary, 't/0')).toMatchObject({ retries: 0, flaky: false });
  });

  it('runs unknown, long and unbatchable tests alone', async () => {
    const ledger = new FakeLedger();
    const sups = fakes([{ onExec: fakeBatchExec({}) }], ledger);
    await runRecorded({
      supervisors: sups,
      tests: ['new', 'x/1', 'solo', 'x/2', 'anchor'].map((id) => fakeTest(id)),
      batching: {
        batcher: fakeBatcher((t) => (t.id === 'solo' ? undefined : 'k')),
        durations: new Map([
          ['x/1', 1],
          ['solo', 1],
          ['x/2', 1],
          ['anchor', 1e6],
        ]),
      },
    });
    expect(commands(ledger)).toEqual(['new', 'fake-batch x/1 x/2', 'solo', 'anchor']);
  });

  it('a batch that ends without running anything gives every test an error', async () => {
    const ledger = new FakeLedger();
    const sups = fakes([{ commands: { 'fake-batch a b': { exitCode: 1 } } }], ledger);
    const { summary } = await runRecorded({
      supervisors: sups,
      ...twoAndAnchor(),
    });
    expect(resultOf(summary, 'a')).toMatchObject({
      status: 'error',
      summary: 'the batch command ended before a ran (batch command exit status 1)',
    });
    expect(resultOf(summary, 'b').status).toBe('error');
  });

  it('cancel mid-batch: the running test is canceled, the rest unfinished', async () => {
    const controller = new AbortController();
    const { options } = setup(['t/0', 't/1', 't/2'], { 't/1': { durationMs: 10_000 } });
    const runner = runRecorded({ ...options, signal: controller.signal });
    setTimeout(() => controller.abort(new Error('stop')), 50);
    const { summary } = await runner;
    expect(summary.canceled).toBe(true);
    expect(resultOf(summary, 't/0').status).toBe('pass');
    expect(resultOf(summary, 't/1')).toMatchObject({ outcome: 'canceled', canceled: true });
    expect([...summary.unfinished].sort()).toEqual(['anchor', 't/2']);
  });
});
