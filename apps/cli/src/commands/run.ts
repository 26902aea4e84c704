import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import {
  type Config,
  type PlannedSupervisor,
  batchingFromConfig,
  collectTests,
  fsTestsFromSelection,
  hostSupervisors,
  loadConfig,
  mergeConfig,
  prepareMkosi,
  runnerOptionsFromConfig,
  selectionFromConfig,
  vmSupervisors,
} from '@ff/fstests';
import {
  ResultsStore,
  type RunSummary,
  Runner,
  type RunnerEvent,
  estimateRemainingMs,
  schedule,
} from '@ff/parallelrunner';
import { EXIT, UsageError } from '../exit-codes.js';
import { noFstestsPath } from '../hints.js';
import { type CliIo, println } from '../io.js';
import { type RunArgs, toOverrides } from '../options.js';
import { resolvePathFlags } from '../paths.js';
import { writeReports } from '../reports.js';
import { installInterruptHandler } from '../signals.js';
import { makePaint, useColor } from '../view/format.js';
import { PlainView } from '../view/plain-view.js';
import { loadFailures, pickFailures, rerunSelection } from './rerun.js';

/**
 * `ff [TEST...]`: select, run, report. Resolves with the exit status. `commandLine` (`ff` and
 * the arguments as given) goes into the run's manifest.
 */
export async function runCommand(
  args: RunArgs,
  io: CliIo,
  commandLine: readonly string[],
): Promise<number> {
  const loaded = await loadConfig({ cwd: io.cwd, env: io.env });
  const config = mergeConfig(loaded, toOverrides(resolvePathFlags(args, io.cwd)));
  const baseDir = loaded.baseDir;
  if (config.fstests === undefined || config.fstests === '') {
    throw noFstestsPath(loaded.path, io.cwd);
  }
  const fstests = resolve(baseDir, config.fstests);
  const resultsDir = resolve(baseDir, config.output.results_dir);
  const rerun = config.test_selection.rerun_failures;
  const failures = rerun === false ? undefined : await loadFailures(resultsDir, rerun);
  const options = selectionFromConfig(config, baseDir);
  const selection = await collectTests(fstests, failures ? rerunSelection(options) : options);
  for (const warning of selection.warnings) println(io.stderr, `ff: warning: ${warning}`);
  if (selection.seed !== undefined) {
    println(
      io.stderr,
      `random order with seed ${selection.seed} (repeat it with --seed ${selection.seed})`,
    );
  }
  const picked = failures ? pickFailures(selection.tests, failures, io) : selection.tests;
  if (config.test_selection.list) {
    for (const t of picked) println(io.stdout, t.id);
    return EXIT.ok;
  }

  // The summary (cli-table3) loads lazily so that `ff --list` stays quick, but now, before any
  // VM runs: Node's module resolver can return an unresolved symlink path (and pnpm's layout
  // then breaks cli-table3's own requires) once an fs call has stat'ed a socket, as removing a
  // dead VM's directory with its QMP socket does.
  const summaryModule = import('../view/summary.js');
  summaryModule.catch(() => undefined); // awaited below; this only silences an early exit

  // The results directory is checked before any VM starts.
  const store = await ResultsStore.open(resultsDir, { create: true, commandLine });

  const planned: PlannedSupervisor[] = [
    ...hostSupervisors(config),
    ...vmSupervisors(config, {
      baseDir,
      consoleDir: resolve(store.dir, 'consoles'),
      onNotice: noticeOnce(io),
    }),
  ];
  if (planned.length === 0) {
    throw new UsageError(
      'nothing to run the tests on: give --vms HOST:PATH, [qemu] num or [mkosi] num (-n) in config.toml',
    );
  }
  const dirs = new Map(planned.map((p) => [p.supervisor.name, p.fstestsDir]));
  const tests = fsTestsFromSelection(
    { ...selection, tests: picked },
    { fstestsDir: (name) => dirs.get(name) ?? '/var/lib/xfstests' },
  );
  const slowest = config.test_selection.slowest_first;
  const durations =
    typeof slowest === 'string' ? await store.runDurations(slowest) : store.durations();
  let ordered = tests;
  if (selection.seed === undefined && slowest !== false) {
    ordered = schedule(tests, { order: 'longest-first', durations, workers: planned.length }).items;
    const known = tests.filter((t) => durations.has(t.id)).length;
    const from = typeof slowest === 'string' ? ` of ${slowest}` : '';
    println(
      io.stderr,
      `order: longest first, durations${from} known for ${known} of ${tests.length} tests`,
    );
  }

  const controller = new AbortController();
  await mkdir(resolve(store.dir, 'consoles'), { recursive: true });
  await prepareMkosi(config, {
    baseDir,
    force: args['mkosi.build'] ?? 1,
    logPath: resolve(store.dir, 'consoles', 'mkosi-build.log'),
    signal: controller.signal,
  });
  const interrupts = installInterruptHandler(controller, io, () =>
    Promise.allSettled(planned.map((p) => p.supervisor.stop())),
  );
  const runner = new Runner({
    supervisors: planned.map((p) => p.supervisor),
    tests: ordered,
    sink: store,
    signal: controller.signal,
    startTimeoutMs: Math.max(60_000, ...planned.map((p) => p.startTimeoutMs ?? 0)),
    ...runnerOptionsFromConfig(config, baseDir),
    ...batchOption(config, durations, ordered, io),
  });

  const paint = makePaint(useColor(io.stdout, io.env));
  const plain =
    config.output.verbose ||
    io.stdout.isTTY !== true ||
    (io.env.CI !== undefined && io.env.CI !== '');
  let handle: (e: RunnerEvent) => void;
  let stopView = async () => {};
  if (plain) {
    const view = new PlainView(ordered.length, paint, (line) => println(io.stdout, line));
    handle = (e) => view.handle(e);
  } else {
    // listr2 loads only when needed: `ff --list` stays quick.
    const { LiveView } = await import('../view/live-view.js');
    const view = new LiveView({
      total: ordered.length,
      supervisors: planned.map((p) => p.supervisor.name),
      paint,
      stream: io.stdout,
      eta: (state) =>
        estimateRemainingMs(
          ordered.map((t) => t.id).filter((id) => !state.done.has(id)),
          durations,
          Math.max(1, state.live),
        ),
    });
    view.start();
    handle = (e) => view.handle(e);
    stopView = () => view.stop();
  }
  // With keep-alive, Ctrl-C is how the user ends a finished run: its exit status is the tests'.
  let testsDone = false;
  runner.on((e) => {
    handle(e);
    if (e.type === 'run:finished' && !controller.signal.aborted) testsDone = true;
    if (e.type === 'run:finished' && config.test_runner.keep_alive && !controller.signal.aborted) {
      println(
        io.stderr,
        'all tests done; supervisors kept alive for debugging: press Ctrl-C to stop them',
      );
    }
  });

  let summary: RunSummary;
  try {
    summary = await runner.run();
  } finally {
    await stopView();
    interrupts.dispose();
  }
  const { printSummary } = await summaryModule;
  printSummary(summary, config, paint, io);
  await writeReports(summary, store, config, io, baseDir);
  if (!testsDone && (summary.canceled || interrupts.interrupted)) return EXIT.interrupted;
  const bad = summary.counts.fail + summary.counts.error + summary.unfinished.length;
  return bad > 0 ? EXIT.failures : EXIT.ok;
}

/** The runner's batching option, saying on stderr what it will batch. */
function batchOption(
  config: Config,
  durations: ReadonlyMap<string, number>,
  tests: readonly { id: string }[],
  io: CliIo,
) {
  const batching = batchingFromConfig(config, durations);
  if (!batching) return {};
  const known = tests.filter((t) => durations.has(t.id)).length;
  const target = Math.round((batching.targetMs ?? 0) / 1000);
  println(
    io.stderr,
    known === 0
      ? 'batches: none (no test has a duration history yet; each runs alone)'
      : `batches: up to ${target} s of tests known from history per ./check (${known} of ${tests.length}); --batch off runs one ./check per test`,
  );
  return { batching };
}

/** Print each distinct notice once (every VM reports the same KVM fallback). */
function noticeOnce(io: CliIo): (message: string) => void {
  const seen = new Set<string>();
  return (message) => {
    const text = message.replace(/^[\w.#-]+: /, '');
    if (seen.has(text)) return;
    seen.add(text);
    println(io.stderr, text);
  };
}
