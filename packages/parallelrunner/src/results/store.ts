import { mkdir, readFile, readdir, stat, unlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ResultsError } from '../errors.js';
import { compareIds as byId } from '../schedule/schedule.js';
import type { AttemptRecorder, ResultSink, RunInfo } from '../sink.js';
import type { RunSummary } from '../summary.js';
import type { AttemptInfo, FinalTestResult, Test, TestResult } from '../test.js';
import { writeFileAtomic, writeJsonAtomic } from './atomic.js';
import { DurationHistory } from './history.js';
import { linkLatest } from './latest.js';
import { MARKER_FILE, RESULTS_SCHEMA, ResultsLayout } from './layout.js';
import { type LoadedRun, loadRun } from './load.js';
import type { RunManifest } from './manifest.js';
import { assertSafeLabel, assertSafeSegment } from './names.js';
import { isObject } from './parse.js';
import { type Recording, recordRun, timestampLabel } from './record.js';
import { FileAttemptRecorder } from './recorder.js';
import { type ResolvedSource, resolveSource } from './sources.js';

/** Options of `ResultsStore.open`. */
export interface ResultsStoreOptions {
  /** Create the directory (and parents) when missing. Default `false`. */
  readonly create?: boolean;
  /** Only read (compare, list): skip the writability check. Default `false`. */
  readonly readOnly?: boolean;
  /** The command line of the run, stored in its manifest. Default `[]`. */
  readonly commandLine?: readonly string[];
  /** How the tests were selected (groups, exclusions, ...), stored in the manifest. */
  readonly selection?: Readonly<Record<string, unknown>>;
  /** Versions and other facts stored in the manifest. Default `{}`. */
  readonly meta?: Readonly<Record<string, unknown>>;
  /** Minimum interval between manifest and history rewrites during a run. Default 1000 ms. */
  readonly flushIntervalMs?: number;
}

interface CurrentRun {
  readonly info: RunInfo;
  readonly attempts: TestResult[];
  readonly finals: FinalTestResult[];
}

async function checkDirectory(root: string, options: ResultsStoreOptions): Promise<void> {
  const info = await stat(root).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT' && options.create) return undefined;
    throw new ResultsError(
      `results directory ${root} ${error.code === 'ENOENT' ? 'does not exist' : 'is not accessible'}`,
      { cause: error },
    );
  });
  if (info === undefined) {
    await mkdir(root, { recursive: true }).catch((error: unknown) => {
      throw new ResultsError(`cannot create results directory ${root}`, { cause: error });
    });
  } else if (!info.isDirectory()) {
    throw new ResultsError(`results directory ${root} is not a directory`);
  }
  const entries = await readdir(root).catch((error: unknown) => {
    throw new ResultsError(`cannot read results directory ${root}`, { cause: error });
  });
  if (entries.includes(MARKER_FILE)) {
    const marker = await readFile(join(root, MARKER_FILE), 'utf8')
      .then(JSON.parse)
      .catch(() => undefined);
    if (!isObject(marker) || marker.schema !== RESULTS_SCHEMA) {
      throw new ResultsError(`${join(root, MARKER_FILE)} is corrupt or of an unsupported schema`);
    }
  } else if (entries.length > 0) {
    throw new ResultsError(
      `${root} is not empty and is not a results directory (no ${MARKER_FILE}); use an empty or new directory`,
    );
  }
  if (options.readOnly) return;
  const layout = new ResultsLayout(root);
  try {
    for (const d of [layout.testsDir, layout.latestDir, layout.runsDir, layout.recordingsDir]) {
      await mkdir(d, { recursive: true });
    }
    if (!entries.includes(MARKER_FILE))
      await writeJsonAtomic(layout.marker, { schema: RESULTS_SCHEMA });
    const probe = join(root, `.write-probe-${process.pid}`);
    await writeFileAtomic(probe, 'probe\n');
    await unlink(probe);
  } catch (error) {
    throw new ResultsError(`results directory ${root} is not writable`, { cause: error });
  }
}

/**
 * A results directory (layout in DESIGN.md): implements `ResultSink` for the runner and reads
 * back runs and recordings for compare, record, scheduling and rerun-failures.
 */
export class ResultsStore implements ResultSink {
  /** Paths inside the results directory. */
  readonly layout: ResultsLayout;
  /** Problems found when opening (e.g. a corrupt duration history). */
  readonly warnings: readonly string[];
  #run: CurrentRun | undefined;
  #lastFlush = 0;
  #writes: Promise<void> = Promise.resolve();

  private constructor(
    /** The results directory (absolute). */
    readonly dir: string,
    private readonly options: ResultsStoreOptions,
    /** Recent durations per test, updated as attempts finish and saved with the manifest. */
    readonly history: DurationHistory,
    warnings: readonly string[],
  ) {
    this.layout = new ResultsLayout(dir);
    this.warnings = warnings;
  }

  /**
   * Open the results directory `dir`. Checks up front that it exists (or creates it with
   * `create`), that it is a results directory or empty, and (unless `readOnly`) that it is
   * writable. Throws `ResultsError` otherwise.
   */
  static async open(dir: string, options: ResultsStoreOptions = {}): Promise<ResultsStore> {
    const root = resolve(dir);
    await checkDirectory(root, options);
    const { history, warning } = await DurationHistory.load(new ResultsLayout(root).history);
    return new ResultsStore(root, options, history, warning === undefined ? [] : [warning]);
  }

  /**
   * Start recording a run: write its manifest and point `latest-run.json` at it. `latest/` is
   * left as it is: a test's link moves only when this run gives it a final result.
   *
   * @throws InvalidNameError for an unsafe run id; ResultsError when the writes fail.
   */
  async beginRun(info: RunInfo): Promise<void> {
    assertSafeSegment('run id', info.runId);
    this.#run = { info, attempts: [], finals: [] };
    try {
      await mkdir(this.layout.latestDir, { recursive: true });
      await this.#serial(() => this.#writeManifest(undefined));
      await writeJsonAtomic(this.layout.latestRun, { schema: RESULTS_SCHEMA, runId: info.runId });
    } catch (error) {
      this.#run = undefined;
      throw new ResultsError(`cannot start run ${info.runId} in ${this.dir}`, { cause: error });
    }
    this.#lastFlush = Date.now();
  }

  /**
   * A recorder writing into `tests/<test id>/<attempt id>/`; when it finishes, the duration
   * history is updated (manifest and history rewritten at most every `flushIntervalMs`).
   *
   * @throws InvalidNameError for an empty test id or an unsafe attempt id.
   */
  async beginAttempt(test: Test, ctx: AttemptInfo): Promise<AttemptRecorder> {
    assertSafeSegment('attempt id', ctx.attemptId);
    const dir = this.layout.attemptDir(test.id, ctx.attemptId);
    return FileAttemptRecorder.create(dir, (result) => this.#attemptFinished(result));
  }

  /**
   * Store a test's final result: `final.json` in its final attempt's directory, `latest/<test
   * id>` pointed at that directory (not for a canceled result: an interrupted test keeps its
   * earlier result), and the result in the run's manifest.
   *
   * @throws ResultsError before `beginRun` or when the writes fail; InvalidNameError for an
   * unsafe attempt id.
   */
  async finishTest(result: FinalTestResult): Promise<void> {
    const run = this.#run;
    if (!run) throw new ResultsError(`finishTest(${result.testId}) before beginRun`);
    assertSafeSegment('attempt id', result.attemptId);
    try {
      await linkLatest(this.layout, run.info.runId, result);
    } catch (error) {
      throw new ResultsError(`cannot store the final result of ${result.testId} in ${this.dir}`, {
        cause: error,
      });
    }
    run.finals.push(result);
    await this.#flushSoon();
  }

  /** Save the duration history and complete the run's manifest with `summary`. */
  async finishRun(summary: RunSummary): Promise<void> {
    await this.#serial(async () => {
      await this.history.save();
      if (this.#run) await this.#writeManifest(summary);
    });
  }

  /** Recent-duration estimates per test id (median of the last five), for scheduling. */
  durations(): Map<string, number> {
    return this.history.durations();
  }

  /** Resolve a SOURCE (omitted = the latest results, a label, `-N`, a run id); see `resolveSource`. */
  resolveSource(spec?: string): Promise<ResolvedSource> {
    return resolveSource(this.layout, spec);
  }

  /** Final results of a SOURCE (a spec or an already resolved source). */
  async loadRun(source?: string | ResolvedSource): Promise<LoadedRun> {
    const resolved = typeof source === 'object' ? source : await this.resolveSource(source);
    return loadRun(this.layout, resolved);
  }

  /** Ids (sorted) whose final status in SOURCE is `fail` or `error`. */
  async failedTests(source?: string): Promise<string[]> {
    const run = await this.loadRun(source);
    return run.results
      .filter((r) => r.status === 'fail' || r.status === 'error')
      .map((r) => r.testId);
  }

  /** Final durations (ms) in SOURCE of tests that completed there, to pin a schedule to one run. */
  async runDurations(source?: string): Promise<Map<string, number>> {
    const run = await this.loadRun(source);
    return new Map(
      run.results.filter((r) => r.outcome === 'completed').map((r) => [r.testId, r.durationMs]),
    );
  }

  /**
   * Snapshot SOURCE (default: the latest results) as `recordings/<label>/`. `label` defaults to
   * the current time (`2026-01-31T12-00-05Z`); an existing label or a source without any result
   * is a `ResultsError`, an unsafe label an `InvalidNameError`. The recording keeps the source's
   * `partial` note. Recordings are never deleted automatically.
   */
  async record(label?: string, source?: string): Promise<Recording> {
    const now = Date.now();
    if (label !== undefined) assertSafeLabel(label);
    const run = await this.loadRun(source);
    return recordRun(this.layout, run, label ?? timestampLabel(now), now);
  }

  async #attemptFinished(result: TestResult): Promise<void> {
    if (result.outcome === 'completed' && !result.canceled)
      this.history.record(result.testId, result.durationMs);
    this.#run?.attempts.push(result);
    await this.#flushSoon();
  }

  /** Rewrite the manifest and the history unless that was done less than `flushIntervalMs` ago. */
  async #flushSoon(): Promise<void> {
    const interval = this.options.flushIntervalMs ?? 1000;
    if (Date.now() - this.#lastFlush < interval) return;
    this.#lastFlush = Date.now();
    await this.#serial(async () => {
      await this.history.save();
      if (this.#run) await this.#writeManifest(undefined);
    });
  }

  /** Run `fn` after every earlier write (manifest and history rewrites must not interleave). */
  #serial(fn: () => Promise<void>): Promise<void> {
    const next = this.#writes.then(fn);
    this.#writes = next.catch(() => undefined);
    return next;
  }

  async #writeManifest(summary: RunSummary | undefined): Promise<void> {
    const run = this.#run;
    if (!run) return;
    const { info } = run;
    const manifest: RunManifest = {
      schema: RESULTS_SCHEMA,
      runId: info.runId,
      startedAt: info.startedAt,
      finishedAt: summary?.finishedAt ?? null,
      canceled: summary?.canceled ?? false,
      commandLine: this.options.commandLine ?? [],
      supervisors: summary
        ? summary.supervisors.map((s) => ({
            name: s.name,
            started: s.started,
            deaths: s.deaths,
            restarts: s.restarts,
            busyMs: s.busyMs,
            wallMs: s.wallMs,
            attempts: s.attempts,
            ...(s.error ? { error: s.error.message } : {}),
          }))
        : info.supervisors.map((name) => ({ name })),
      selection: {
        testIds: info.testIds,
        ...(this.options.selection ? { description: this.options.selection } : {}),
      },
      meta: this.options.meta ?? {},
      results: [...(summary?.results ?? run.finals)].sort((a, b) => byId(a.testId, b.testId)),
      attempts: summary ? [] : run.attempts,
      unfinished: summary?.unfinished ?? [],
    };
    await writeJsonAtomic(this.layout.manifest(info.runId), manifest);
  }
}
