import type { RunnerEvent } from '../../src/events.js';
import type { RunnerOptions } from '../../src/runner/options.js';
import { Runner } from '../../src/runner/runner.js';
import type { RunSummary } from '../../src/summary.js';
import { FakeSupervisor } from '../../src/testing/fake-supervisor.js';
import { fakeTest } from '../../src/testing/fake-test.js';
import { FakeLedger } from '../../src/testing/ledger.js';
import type { FakeScript } from '../../src/testing/script.js';

/** Fakes sharing one ledger. */
export function fakes(scripts: readonly FakeScript[], ledger = new FakeLedger()): FakeSupervisor[] {
  return scripts.map((script, i) => new FakeSupervisor(`fake-${i}`, script, ledger));
}

/** `n` fake tests `t/0`, `t/1`, ... */
export function tests(n: number): ReturnType<typeof fakeTest>[] {
  return Array.from({ length: n }, (_, i) => fakeTest(`t/${i}`));
}

/** Run with probing off by default and record every event. */
export async function runRecorded(
  options: RunnerOptions,
): Promise<{ summary: RunSummary; events: RunnerEvent[] }> {
  const runner = new Runner({ probeIntervalMs: 0, runId: 'test', ...options });
  const events: RunnerEvent[] = [];
  runner.on((e) => events.push(e));
  const summary = await runner.run();
  return { summary, events };
}

/** Events of one type. */
export function ofType<T extends RunnerEvent['type']>(
  events: readonly RunnerEvent[],
  type: T,
): Extract<RunnerEvent, { type: T }>[] {
  return events.filter((e): e is Extract<RunnerEvent, { type: T }> => e.type === type);
}

/** Final result of `testId`, or throws. */
export function resultOf(summary: RunSummary, testId: string) {
  const r = summary.results.find((x) => x.testId === testId);
  if (!r) throw new Error(`no result for ${testId}`);
  return r;
}
