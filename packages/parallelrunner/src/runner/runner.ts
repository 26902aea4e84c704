import { setMaxListeners } from 'node:events';
import { InvalidOptionError, NoSupervisorStartedError } from '../errors.js';
import type { RunnerListener } from '../events.js';
import { type RunSummary, countStatuses } from '../summary.js';
import type { Supervisor } from '../supervisor.js';
import { BatchPlanner } from './batch-planner.js';
import { EventEmitter } from './emitter.js';
import { assertSafeRunId, defaultRunId, validateTests } from './names.js';
import { type ResolvedOptions, type RunnerOptions, resolveOptions } from './options.js';
import { RunState } from './run-state.js';
import { Worker } from './worker.js';

/**
 * Runs tests on supervisors: one worker per supervisor over one shared queue, crash recovery,
 * retries, timeouts, cancellation and a typed event stream. See `RunnerOptions`.
 */
export class Runner<S extends Supervisor = Supervisor> {
  readonly #options: ResolvedOptions;
  readonly #emitter = new EventEmitter();
  #ran = false;

  /**
   * Validates `options` synchronously; throws `InvalidOptionError`, `DuplicateTestError` or
   * `InvalidNameError`.
   */
  constructor(options: RunnerOptions<S>) {
    this.#options = resolveOptions(options);
    validateTests(this.#options.tests);
    if (this.#options.runId !== undefined) assertSafeRunId(this.#options.runId);
  }

  /** Subscribe to runner events; returns the unsubscribe function. Listener errors are swallowed. */
  on(listener: RunnerListener): () => void {
    return this.#emitter.on(listener);
  }

  /**
   * Run every test. Resolves with the summary (also when cancelled or when every supervisor left
   * the run); rejects with `NoSupervisorStartedError` when none could start. May be called once.
   */
  async run(): Promise<RunSummary> {
    if (this.#ran) throw new InvalidOptionError('Runner.run() may be called only once');
    this.#ran = true;
    const { signal } = this.#options;
    // Every worker listens to the run's signals: lift the listener limit on an internal signal
    // rather than on the caller's.
    const run = new AbortController();
    setMaxListeners(0, run.signal);
    const onCancel = () => run.abort(signal?.reason);
    if (signal?.aborted) onCancel();
    else signal?.addEventListener('abort', onCancel, { once: true });
    try {
      return await this.#run(run.signal);
    } finally {
      signal?.removeEventListener('abort', onCancel);
    }
  }

  async #run(runSignal: AbortSignal): Promise<RunSummary> {
    const options = this.#options;
    const startedAt = options.now();
    const runId = options.runId ?? defaultRunId(startedAt);
    await options.sink?.beginRun?.({
      runId,
      startedAt,
      testIds: options.tests.map((t) => t.id),
      supervisors: options.supervisors.map((s) => s.name),
    });
    const planner = options.batching && new BatchPlanner(options.batching, options.tests);
    const state = new RunState(
      options.tests,
      this.#emitter,
      planner && ((e) => planner.finished(e)),
      options.sink?.finishTest?.bind(options.sink),
    );
    const startSignal = options.keepAlive
      ? runSignal
      : AbortSignal.any([runSignal, state.drainedSignal]);
    setMaxListeners(0, startSignal, state.drainedSignal);
    const workers: Worker[] = options.supervisors.map(
      (supervisor) =>
        new Worker(supervisor, {
          options,
          state,
          emitter: this.#emitter,
          runId,
          runStartedAt: startedAt,
          runSignal,
          startSignal,
          ...(planner ? { planner } : {}),
          live: (): number => workers.filter((w) => w.error === undefined).length,
        }),
    );
    await Promise.all(workers.map((w) => w.run()));
    const unfinished = state.drainUnfinished();
    const canceled = runSignal.aborted;
    const stopAll = () => Promise.all(workers.map((w) => w.stop()));
    const finish = async (): Promise<RunSummary> => {
      const summary: RunSummary = {
        runId,
        startedAt,
        finishedAt: options.now(),
        results: state.results,
        unfinished,
        supervisors: workers.map((w) => w.report()),
        counts: countStatuses(state.results),
        canceled,
      };
      await state.settled();
      await options.sink?.finishRun?.(summary);
      this.#emitter.emit({ type: 'run:finished', summary });
      return summary;
    };

    const failures = workers.flatMap((w) => (w.error ? [w.error] : []));
    if (!canceled && !workers.some((w) => w.started) && failures.length === workers.length) {
      await stopAll();
      throw new NoSupervisorStartedError(failures);
    }
    if (options.keepAlive && !canceled) {
      const summary = await finish();
      await new Promise<void>((resolve) => {
        if (runSignal.aborted) resolve();
        else runSignal.addEventListener('abort', () => resolve(), { once: true });
      });
      await stopAll();
      return summary;
    }
    await stopAll();
    return finish();
  }
}
