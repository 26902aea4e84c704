import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ResultsStore, type RunSummary, Runner, type RunnerEvent } from '@ff/parallelrunner';
import { CrashOnceSupervisor, CrashTrigger } from './crash-once.js';
import { scriptTest } from './script-test.js';

/** The demo suite: script name -> script body. Runs with `sh` in the suite directory. */
export const DEMO_SCRIPTS: Readonly<Record<string, string>> = {
  ok: 'echo "all good" | tee ok.log\n',
  skip: 'echo "needs /dev/fancy" >&2\nexit 77\n',
  fails: 'echo "expected 1, got 2"\nexit 1\n',
  // Fails on its first attempt and passes when retried: ATTEMPT comes from the test.
  flaky:
    'if [ "$ATTEMPT" -ge 2 ]; then echo "passed on retry"; else echo "flake" >&2; exit 1; fi\n',
  crash: 'echo "survived the crash"\n',
  // Killed by its 300 ms timeout; the unique sleep lets tests check nothing is left behind.
  slow: 'sleep 7.3125\n',
};

/** What `runDemoSuite` saw. */
export interface DemoRun {
  readonly summary: RunSummary;
  readonly events: readonly RunnerEvent[];
  /** Where the results store was written (removed afterwards unless `keep`). */
  readonly resultsDir: string;
}

/** Options of `runDemoSuite`. */
export interface DemoOptions {
  readonly signal?: AbortSignal;
  /** Keep the temporary suite and results directories. Default `false`. */
  readonly keep?: boolean;
}

/**
 * Write the demo suite to a temporary directory and run it on two `DirSupervisor`s (the one
 * that first runs `crash` crashes once), with one retry for failures and a results store.
 */
export async function runDemoSuite(options: DemoOptions = {}): Promise<DemoRun> {
  const root = await mkdtemp(join(tmpdir(), 'ff-dir-suite-'));
  try {
    const suiteDir = join(root, 'suite');
    const resultsDir = join(root, 'results');
    await mkdir(suiteDir);
    for (const [name, body] of Object.entries(DEMO_SCRIPTS)) {
      await writeFile(join(suiteDir, `${name}.sh`), body);
    }
    const tests = Object.keys(DEMO_SCRIPTS).map((name) =>
      scriptTest(name, name === 'slow' ? 300 : undefined),
    );
    const store = await ResultsStore.open(resultsDir, { create: true });
    const trigger = new CrashTrigger('crash.sh');
    const runner = new Runner({
      supervisors: ['dir-1', 'dir-2'].map(
        (name) => new CrashOnceSupervisor({ name, dir: suiteDir, trigger }),
      ),
      tests,
      retryFailures: 1,
      probeIntervalMs: 0,
      graceMs: 2_000,
      sink: store,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const events: RunnerEvent[] = [];
    runner.on((event) => events.push(event));
    const summary = await runner.run();
    return { summary, events, resultsDir };
  } finally {
    if (!options.keep) await rm(root, { recursive: true, force: true });
  }
}
