import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  LocalSupervisor,
  ResultsStore,
  type RunSummary,
  Runner,
  type RunnerListener,
  schedule,
} from '@ff/parallelrunner';
import { ShellScriptTest } from './shell-test.js';

/** Options of `runShellSuite`. */
export interface ShellSuiteOptions {
  /** Directory holding the `*.sh` tests. */
  readonly dir: string;
  /** Tests run at once, one `LocalSupervisor` each. Default `2`. */
  readonly jobs?: number;
  /** Run a failed test again up to this many times. Default `1`. */
  readonly retries?: number;
  /** Per-test timeout in ms. Default `60_000`. */
  readonly timeoutMs?: number;
  /** Results store directory (created when missing). Default: none, results in memory only. */
  readonly resultsDir?: string;
  /** Receives every runner event (progress reporting). */
  readonly onEvent?: RunnerListener;
  readonly signal?: AbortSignal;
}

/** The suite's tests: every `*.sh` in `dir`, by name. */
export async function discoverTests(dir: string, timeoutMs?: number): Promise<ShellScriptTest[]> {
  const names = (await readdir(dir)).filter((n) => n.endsWith('.sh')).sort();
  return names.map((n) => new ShellScriptTest(resolve(dir, n), timeoutMs));
}

/**
 * Run the suite in `options.dir` on `jobs` local process slots. Each slot works in its own
 * scratch directory (removed afterwards). With a results store, the longest tests of earlier
 * runs go first; otherwise tests run by name.
 */
export async function runShellSuite(options: ShellSuiteOptions): Promise<RunSummary> {
  const tests = await discoverTests(options.dir, options.timeoutMs ?? 60_000);
  const store = options.resultsDir
    ? await ResultsStore.open(options.resultsDir, { create: true })
    : undefined;
  const durations = store?.durations();
  const queue = durations
    ? schedule(tests, { order: 'longest-first', durations })
    : schedule(tests, { order: 'name' });
  const scratch = await mkdtemp(join(tmpdir(), 'shell-suite-'));
  try {
    const jobs = options.jobs ?? 2;
    const supervisors: LocalSupervisor[] = [];
    for (let i = 1; i <= jobs; i++) {
      const cwd = join(scratch, `slot-${i}`);
      await mkdir(cwd);
      supervisors.push(new LocalSupervisor({ name: `slot-${i}`, cwd }));
    }
    const runner = new Runner({
      supervisors,
      tests: queue.items,
      retryFailures: options.retries ?? 1,
      ...(store ? { sink: store } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    if (options.onEvent) runner.on(options.onEvent);
    return await runner.run();
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
