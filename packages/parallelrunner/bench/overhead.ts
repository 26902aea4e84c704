import { Runner } from '../src/runner/runner.js';
import { FakeSupervisor } from '../src/testing/fake-supervisor.js';
import { fakeTest } from '../src/testing/fake-test.js';
import { FakeLedger } from '../src/testing/ledger.js';

/** Result of the runner-overhead benchmark. */
export interface OverheadResult {
  /** Microseconds of wall time the runner spent per test (the tests do no work). */
  readonly usPerTest: number;
  /** Peak resident set size of the process in MiB. */
  readonly peakRssMb: number;
  readonly tests: number;
  readonly supervisors: number;
}

/**
 * Runner overhead: `tests` zero-work tests over `supervisors` fake supervisors (no probes, no
 * sink), timed end to end. Defaults: 10,000 tests, 16 supervisors.
 */
export async function benchOverhead(tests = 10_000, supervisors = 16): Promise<OverheadResult> {
  const run = async (n: number) => {
    const ledger = new FakeLedger();
    const runner = new Runner({
      supervisors: Array.from(
        { length: supervisors },
        (_, i) => new FakeSupervisor(`fake-${i}`, {}, ledger),
      ),
      tests: Array.from({ length: n }, (_, i) => fakeTest(`bench/${i}`)),
      probeIntervalMs: 0,
      runId: 'bench',
    });
    const t0 = process.hrtime.bigint();
    const summary = await runner.run();
    const elapsed = Number(process.hrtime.bigint() - t0) / 1000;
    if (summary.counts.pass !== n)
      throw new Error(`expected ${n} passes, got ${summary.counts.pass}`);
    return elapsed;
  };
  await run(Math.min(1000, tests));
  const us = await run(tests);
  return {
    usPerTest: Math.round((us / tests) * 10) / 10,
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    tests,
    supervisors,
  };
}
