import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NoSupervisorStartedError } from '../../src/errors.js';
import type { RunnerEvent } from '../../src/events.js';
import { Runner } from '../../src/runner/runner.js';
import type { RunSummary } from '../../src/summary.js';
import { type FakeMember, fakeBatchExec, fakeBatcher } from '../../src/testing/fake-batch.js';
import { FakeSupervisor } from '../../src/testing/fake-supervisor.js';
import { fakeTest } from '../../src/testing/fake-test.js';
import { FakeLedger } from '../../src/testing/ledger.js';
import { type Prng, createPrng, randomInt } from '../../src/testing/prng.js';
import type { FakeBehavior, FakeScript, FakeStart } from '../../src/testing/script.js';

const SEEDS = 2_000;
const BATCH = 100;

interface Scenario {
  readonly supervisors: FakeSupervisor[];
  readonly testIds: string[];
  readonly runner: Runner;
  readonly ledger: FakeLedger;
  readonly controller: AbortController;
  readonly events: RunnerEvent[];
}

function randomStart(random: Prng): FakeStart {
  const roll = random();
  if (roll < 0.08) return { fail: 'scripted start failure' };
  if (roll < 0.1) return { never: true };
  return {};
}

/** How a test behaves on each of its first runs, in a batched scenario. */
function randomMembers(random: Prng, ids: readonly string[]): Record<string, FakeMember[]> {
  const member = (): FakeMember => {
    const roll = random();
    const durationMs = randomInt(random, 0, 2);
    if (roll < 0.04) return { crash: true, durationMs };
    if (roll < 0.06) return { hang: true };
    if (roll < 0.18) return { status: 'fail', durationMs };
    if (roll < 0.2) return { status: 'skip', durationMs };
    return { durationMs };
  };
  return Object.fromEntries(ids.map((id) => [id, Array.from({ length: 4 }, member)]));
}

function scenario(seed: number, batched = false): Scenario {
  const random = createPrng(seed);
  const ledger = new FakeLedger();
  const probing = random() < 0.25;
  const cancelAt = random() < 0.25 ? randomInt(random, 0, 120) : -1;
  const behavior = (): FakeBehavior | undefined => {
    const roll = random();
    if (roll < 0.04) return { crash: true, evidence: `panic seed ${seed}` };
    if (roll < 0.06) return { hang: true };
    if (roll < 0.07 && probing) return { dieSilently: true };
    if (roll < 0.08 && cancelAt >= 0) return { ignoreAbort: true };
    if (roll < 0.18) return { exitCode: 1 };
    if (roll < 0.2) return { exitCode: 77 };
    return undefined;
  };
  const testIds = Array.from({ length: randomInt(random, 1, 40) }, (_, i) => `t/${i}`);
  const members = batched ? fakeBatchExec(randomMembers(random, testIds)) : undefined;
  const supervisors = Array.from({ length: randomInt(random, 1, 6) }, (_, i) => {
    const script: FakeScript = {
      start: Array.from({ length: 4 }, () => randomStart(random)),
      onExec: members ?? (() => behavior()),
      ...(random() < 0.1 ? { stopFails: 'scripted stop failure' } : {}),
      ...(probing && random() < 0.2 ? { probes: [true, false, false, false] } : {}),
    };
    return new FakeSupervisor(`s${i}`, script, ledger);
  });
  // Batched: most tests known and short, a few unknown (alone); batches of up to 8.
  const durations = new Map(
    testIds.filter(() => random() < 0.9).map((id) => [id, randomInt(random, 0, 3)]),
  );
  const controller = new AbortController();
  const runner = new Runner({
    supervisors,
    tests: testIds.map((id) => fakeTest(id)),
    startTimeoutMs: 3,
    testTimeoutMs: 2,
    graceMs: 2,
    probeIntervalMs: probing ? 1 : 0,
    probeTimeoutMs: 2,
    probeRetries: 2,
    probeRetryIntervalMs: 1,
    retryFailures: randomInt(random, 0, 2),
    maxSupervisorRestarts: randomInt(random, 1, 3),
    signal: controller.signal,
    runId: `seed-${seed}`,
    ...(batched ? { batching: { batcher: fakeBatcher(), durations, maxTests: 8 } } : {}),
  });
  const events: RunnerEvent[] = [];
  runner.on((e) => {
    events.push(e);
    if (events.length === cancelAt) controller.abort();
  });
  return { supervisors, testIds, runner, ledger, controller, events };
}

const PER_TEST = /^(started (retried|rescheduled) )*(started finished )?$/;

function same(a: readonly string[], b: readonly string[]): boolean {
  const x = [...a].sort();
  const y = [...b].sort();
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

/** Every broken invariant of one finished scenario (plain checks: thousands run per file). */
function problems(s: Scenario, summary: RunSummary | undefined, error: unknown): string[] {
  const { events, testIds, supervisors } = s;
  const out: string[] = [];
  const fail = (what: string) => out.push(what);
  const up = supervisors.filter((x) => x.running).map((x) => x.name);
  if (up.length > 0) fail(`left running: ${up.join(', ')}`);
  const stopped = events.filter((e) => e.type === 'supervisor:stopped').map((e) => e.supervisor);
  if (
    !same(
      stopped,
      supervisors.map((x) => x.name),
    )
  )
    fail(`stopped events: ${stopped.join(', ')}`);
  if (s.ledger.overlaps.length > 0) fail(`ran concurrently with itself: ${s.ledger.overlaps[0]}`);
  if (!summary) {
    if (!(error instanceof NoSupervisorStartedError)) fail(`rejected with ${String(error)}`);
    if (events.some((e) => e.type === 'supervisor:ready' || e.type.startsWith('test:'))) {
      fail('rejected although a supervisor was ready');
    }
    return out;
  }
  if (events.filter((e) => e.type === 'run:finished').length !== 1) fail('run:finished not once');
  if (events.at(-1)?.type !== 'run:finished') fail('run:finished not last');
  const finished = summary.results.map((r) => r.testId);
  if (!same([...finished, ...summary.unfinished], testIds)) fail('a test was lost or doubled');
  const allLeft = summary.supervisors.every((r) => r.error !== undefined || !r.started);
  if (summary.unfinished.length > 0 && !summary.canceled && !allLeft) {
    fail(`unfinished without cancel while a supervisor served: ${summary.unfinished.join(', ')}`);
  }
  const trail = new Map<string, string>(testIds.map((id) => [id, '']));
  for (const e of events) {
    let id: string | undefined;
    if (e.type === 'test:started') id = e.testId;
    else if (
      e.type === 'test:finished' ||
      e.type === 'test:retried' ||
      e.type === 'test:rescheduled'
    ) {
      id = e.result.testId;
    }
    if (id !== undefined) trail.set(id, `${trail.get(id)}${e.type.slice(5)} `);
  }
  const done = new Set(finished);
  for (const [id, t] of trail) {
    if (!PER_TEST.test(t)) fail(`${id}: events out of order: ${t}`);
    if (t.endsWith('finished ') !== done.has(id)) fail(`${id}: finished event vs summary: ${t}`);
  }
  const counts = { pass: 0, fail: 0, skip: 0, error: 0 };
  for (const r of summary.results) {
    counts[r.status]++;
    if (r.attempts.at(-1)?.attemptId !== r.attemptId) fail(`${r.testId}: last attempt mismatch`);
    if (r.attempts.length !== 1 + r.retries + r.reschedules) fail(`${r.testId}: attempt count`);
    if (r.outcome === 'canceled' && !summary.canceled)
      fail(`${r.testId}: canceled in a run not canceled`);
  }
  const c = summary.counts;
  if (
    c.pass !== counts.pass ||
    c.fail !== counts.fail ||
    c.skip !== counts.skip ||
    c.error !== counts.error
  ) {
    fail(`counts ${JSON.stringify(c)} vs ${JSON.stringify(counts)}`);
  }
  const attempts = summary.supervisors.reduce((n, r) => n + r.attempts, 0);
  if (attempts !== events.filter((e) => e.type === 'test:started').length) fail('attempt totals');
  return out;
}

describe('Runner invariants over seeded random schedules', () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  beforeAll(() => {
    process.on('unhandledRejection', onUnhandled);
  });
  afterAll(() => {
    process.off('unhandledRejection', onUnhandled);
  });

  // Batched scenarios play a timer per output line: fewer seeds keep the file's time in bounds.
  it.each([
    [SEEDS, 'one test per command', false],
    [SEEDS / 2, 'batched', true],
  ])(
    'holds for %i seeds, %s',
    async (seeds, _, batched) => {
      let outcomes = { resolved: 0, rejected: 0, canceled: 0, crashed: 0, batches: 0 };
      const one = async (seed: number) => {
        const s = scenario(seed, batched);
        let summary: RunSummary | undefined;
        let error: unknown;
        try {
          summary = await s.runner.run();
        } catch (e) {
          error = e;
        }
        const broken = problems(s, summary, error);
        if (broken.length > 0)
          throw new Error(`invariant broken with seed ${seed}:\n${broken.join('\n')}`);
        outcomes = {
          resolved: outcomes.resolved + (summary ? 1 : 0),
          rejected: outcomes.rejected + (summary ? 0 : 1),
          canceled: outcomes.canceled + (summary?.canceled ? 1 : 0),
          crashed: outcomes.crashed + s.events.filter((e) => e.type === 'test:rescheduled').length,
          batches:
            outcomes.batches +
            s.ledger.execs.filter((e) => e.command.startsWith('fake-batch')).length,
        };
      };
      // Seeds are independent: run them in batches so their timer waits overlap.
      for (let seed = 0; seed < seeds; seed += BATCH) {
        const batch = Array.from({ length: Math.min(BATCH, seeds - seed) }, (_, i) =>
          one(seed + i),
        );
        await Promise.all(batch);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(unhandled).toEqual([]);
      // The schedules must actually exercise the hard paths.
      expect(outcomes.rejected).toBeGreaterThan(0);
      expect(outcomes.canceled).toBeGreaterThan(50);
      expect(outcomes.crashed).toBeGreaterThan(100);
      if (batched) expect(outcomes.batches).toBeGreaterThan(500);
    },
    60_000,
  );
});
