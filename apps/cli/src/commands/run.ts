import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import {
  type Config,
  loadConfig,
  mergeConfig,
  planRun,
  prepareSupervisors,
  storeHistory,
} from '@ff/fstests';
import { ResultsStore, type RunSummary, Runner } from '@ff/parallelrunner';
import { EXIT } from '../exit-codes.js';
import { noFstestsPath } from '../hints.js';
import { type CliIo, println } from '../io.js';
import { type RunArgs, toOverrides } from '../options.js';
import { resolvePathFlags } from '../paths.js';
import { writeReports } from '../reports.js';
import { installInterruptHandler } from '../signals.js';
import { makePaint, useColor } from '../view/format.js';
import { startRunView } from '../view/run-view.js';
import { loadFailures } from './rerun.js';

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
  if (config.fstests === undefined || config.fstests === '') {
    throw noFstestsPath(loaded.path, io.cwd);
  }
  return runWithConfig(config, loaded.baseDir, args, io, commandLine);
}

/**
 * Run what `config` asks for (relative paths in it resolve against `baseDir`): plan it with
 * `planRun`, show the live view, write the reports. Resolves with the exit status.
 */
export async function runWithConfig(
  config: Config,
  baseDir: string,
  args: Pick<RunArgs, 'mkosi.build'>,
  io: CliIo,
  commandLine: readonly string[],
): Promise<number> {
  const resultsDir = resolve(baseDir, config.output.results_dir);
  // The results directory is opened (created) only for a run, never for --list.
  let opened: Promise<ResultsStore> | undefined;
  const open = () => {
    opened ??= ResultsStore.open(resultsDir, { create: true, commandLine });
    return opened;
  };
  // Notices go to stderr, or through the live view while it runs (see startRunView).
  let notify = (text: string) => println(io.stderr, text);
  const notice = (text: string) => notify(text);
  const plan = await planRun(config, {
    baseDir,
    onNotice: noticeOnce(notice),
    history: {
      failedTests: (source) => loadFailures(resultsDir, source),
      durations: async (source) => storeHistory(await open()).durations(source),
    },
  });
  for (const warning of plan.warnings) println(io.stderr, `ff: warning: ${warning}`);
  for (const note of plan.notes) println(io.stderr, note);
  if (config.test_selection.list) {
    for (const t of plan.selected) println(io.stdout, t.id);
    return EXIT.ok;
  }

  // The summary (cli-table3) loads lazily so that `ff --list` stays quick, but now, before any
  // VM runs: Node's module resolver can return an unresolved symlink path (and pnpm's layout
  // then breaks cli-table3's own requires) once an fs call has stat'ed a socket, as removing a
  // dead VM's directory with its QMP socket does.
  const summaryModule = import('../view/summary.js');
  summaryModule.catch(() => undefined); // awaited below; this only silences an early exit

  const store = await open();
  const { supervisors: planned, tests: ordered, durations } = plan;
  const controller = new AbortController();
  await mkdir(plan.consoleDir, { recursive: true });
  await prepareSupervisors(config, {
    baseDir,
    force: args['mkosi.build'] ?? 1,
    logDir: plan.consoleDir,
    signal: controller.signal,
  });
  const interrupts = installInterruptHandler(
    controller,
    () => Promise.allSettled(planned.map((p) => p.supervisor.stop())),
    notice,
  );
  const runner = new Runner({
    ...plan.runnerOptions,
    supervisors: planned.map((p) => p.supervisor),
    tests: ordered,
    sink: store,
    signal: controller.signal,
  });

  const paint = makePaint(useColor(io.stdout, io.env));
  const plain =
    config.output.verbose ||
    io.stdout.isTTY !== true ||
    (io.env.CI !== undefined && io.env.CI !== '');
  const view = await startRunView({
    io,
    paint,
    plain,
    order: ordered.map((t) => t.id),
    supervisors: planned.map((p) => p.supervisor.name),
    history: durations,
  });
  notify = (text) => view.notice(text);
  // With keep-alive, Ctrl-C is how the user ends a finished run: its exit status is the tests'.
  let testsDone = false;
  runner.on((e) => {
    view.handle(e);
    if (e.type === 'run:finished' && !controller.signal.aborted) testsDone = true;
    if (e.type === 'run:finished' && config.test_runner.keep_alive && !controller.signal.aborted) {
      notice('all tests done; supervisors kept alive for debugging: press Ctrl-C to stop them');
    }
  });

  let summary: RunSummary;
  try {
    summary = await runner.run();
  } finally {
    await view.stop();
    interrupts.dispose();
  }
  const { printSummary } = await summaryModule;
  printSummary(summary, config, paint, io);
  await writeReports(summary, store, config, io, baseDir);
  if (!testsDone && (summary.canceled || interrupts.interrupted)) return EXIT.interrupted;
  const bad = summary.counts.fail + summary.counts.error + summary.unfinished.length;
  return bad > 0 ? EXIT.failures : EXIT.ok;
}

/** Pass each distinct notice on once (every VM reports the same KVM fallback). */
function noticeOnce(notice: (text: string) => void): (message: string) => void {
  const seen = new Set<string>();
  return (message) => {
    const text = message.replace(/^[\w.#-]+: /, '');
    if (seen.has(text)) return;
    seen.add(text);
    notice(text);
  };
}
