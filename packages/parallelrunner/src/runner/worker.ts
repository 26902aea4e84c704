import { SupervisorDiedError, describeCause } from '../errors.js';
import type { SupervisorReport } from '../summary.js';
import type { Supervisor } from '../supervisor.js';
import type { AttemptContext } from '../test.js';
import { runAttempt } from './attempt.js';
import { runBatch } from './batch-dispatch.js';
import type { BatchPlanner } from './batch-planner.js';
import type { EventEmitter } from './emitter.js';
import { fileCompleted, fileCrashed } from './filing.js';
import type { ResolvedOptions } from './options.js';
import { Prober } from './prober.js';
import type { RunState, TestEntry } from './run-state.js';
import { describeProbeFailure, probeAlive, startWithin, stopSafely } from './supervisor-ops.js';

/** One ready period of a supervisor, between a start and the next stop. */
interface Life {
  readonly dead: AbortController;
  /** Aborts when the run is cancelled or the supervisor is found dead. */
  readonly signal: AbortSignal;
  readonly prober: Prober;
}

/** What a worker shares with the runner. */
export interface WorkerContext {
  readonly options: ResolvedOptions;
  readonly state: RunState;
  readonly emitter: EventEmitter;
  readonly runId: string;
  readonly runStartedAt: number;
  /** Aborts when the run is cancelled. */
  readonly runSignal: AbortSignal;
  /** Aborts when starts still pending are no longer needed (all tests done). */
  readonly startSignal: AbortSignal;
  /** Forms batches, when the run batches tests. */
  readonly planner?: BatchPlanner;
  /** Supervisors still serving the run. */
  readonly live: () => number;
}

/** Drives one supervisor: start it, pull tests from the shared queue, restart it when it dies. */
export class Worker {
  #started = false;
  #error: Error | undefined;
  #restarts = 0;
  #deaths = 0;
  #busyMs = 0;
  #attempts = 0;
  #wallMs = 0;
  #life: Life | undefined;
  #stopped: Promise<void> | undefined;

  constructor(
    readonly supervisor: Supervisor,
    private readonly ctx: WorkerContext,
  ) {}

  /** It was ready at least once. */
  get started(): boolean {
    return this.#started;
  }

  /** Why it left the run, when it failed to start or restart. */
  get error(): Error | undefined {
    return this.#error;
  }

  /** Serve the run until the queue is drained, the run is cancelled or the supervisor leaves. */
  async run(): Promise<void> {
    try {
      if (await this.#start(false)) await this.#loop();
    } finally {
      this.#endLife();
      this.#wallMs = this.ctx.options.now() - this.ctx.runStartedAt;
    }
  }

  /** Stop the supervisor once and emit `supervisor:stopped`. */
  stop(): Promise<void> {
    this.#stopped ??= (async () => {
      this.#endLife();
      const error = await stopSafely(this.supervisor, this.ctx.options.stopTimeoutMs);
      this.ctx.emitter.emit({
        type: 'supervisor:stopped',
        supervisor: this.supervisor.name,
        ...(error ? { error } : {}),
      });
    })();
    return this.#stopped;
  }

  report(): SupervisorReport {
    return {
      name: this.supervisor.name,
      started: this.#started,
      ...(this.#error ? { error: this.#error } : {}),
      deaths: this.#deaths,
      restarts: this.#restarts,
      busyMs: this.#busyMs,
      wallMs: this.#wallMs,
      attempts: this.#attempts,
    };
  }

  async #start(restart: boolean): Promise<boolean> {
    const { options, emitter, startSignal } = this.ctx;
    const name = this.supervisor.name;
    if (startSignal.aborted) return false;
    emitter.emit({ type: 'supervisor:starting', supervisor: name, restart });
    const t0 = options.now();
    try {
      await startWithin(this.supervisor, options.startTimeoutMs, startSignal);
    } catch (error) {
      if (startSignal.aborted) return false;
      this.#error = error instanceof Error ? error : new Error(describeCause(error));
      emitter.emit({ type: 'supervisor:failed', supervisor: name, error: this.#error });
      await this.stop();
      return false;
    }
    this.#started = true;
    if (restart) {
      this.#restarts++;
      emitter.emit({ type: 'supervisor:restarted', supervisor: name, restarts: this.#restarts });
    } else {
      emitter.emit({ type: 'supervisor:ready', supervisor: name, startupMs: options.now() - t0 });
    }
    const dead = new AbortController();
    const prober = new Prober(this.supervisor, options.probeIntervalMs, options.probe, () =>
      dead.abort(new SupervisorDiedError(name, describeProbeFailure(options.probe))),
    );
    this.#life = { dead, signal: AbortSignal.any([this.ctx.runSignal, dead.signal]), prober };
    return true;
  }

  #endLife(): void {
    this.#life?.prober.stop();
    this.#life = undefined;
  }

  /** The supervisor died: emit, stop it and start it again. False when it left the run. */
  async #restart(reason: string): Promise<boolean> {
    this.#died(reason);
    return this.#restartDead();
  }

  #died(reason: string, testId?: string): void {
    this.#endLife();
    this.#deaths++;
    this.ctx.emitter.emit({
      type: 'supervisor:died',
      supervisor: this.supervisor.name,
      reason,
      ...(testId !== undefined ? { testId } : {}),
    });
  }

  async #restartDead(): Promise<boolean> {
    await stopSafely(this.supervisor, this.ctx.options.stopTimeoutMs);
    return this.#start(true);
  }

  async #loop(): Promise<void> {
    const { state, runSignal } = this.ctx;
    for (;;) {
      const life = this.#life;
      if (runSignal.aborted || !life) return;
      if (life.dead.signal.aborted) {
        if (!(await this.#restart(describeCause(life.dead.signal.reason)))) return;
        continue;
      }
      const planner = this.ctx.planner;
      const unit = planner ? planner.take(state, this.ctx.live()) : [state.take()];
      const [entry, ...more] = unit;
      if (entry) {
        const served =
          planner && more.length > 0
            ? this.#runBatch(unit as TestEntry[], life, planner)
            : this.#runTest(entry, life);
        if (!(await served)) return;
        continue;
      }
      if (state.drainedSignal.aborted) return;
      await state.waitForWork(life.signal);
    }
  }

  #context(entry: TestEntry): AttemptContext {
    const attempt = entry.attempts.length + 1;
    return {
      attemptId: `${this.ctx.runId}-${attempt}`,
      attempt,
      supervisor: this.supervisor.name,
      host: this.supervisor,
    };
  }

  #emitStarted(entry: TestEntry, ctx: AttemptContext, startedAt: number): void {
    const { attemptId, attempt, supervisor } = ctx;
    this.ctx.emitter.emit({
      type: 'test:started',
      testId: entry.test.id,
      attemptId,
      attempt,
      supervisor,
      startedAt,
    });
  }

  /** Run one batch and file its results. False when the supervisor left the run. */
  async #runBatch(entries: TestEntry[], life: Life, planner: BatchPlanner): Promise<boolean> {
    const { options, state } = this.ctx;
    const t0 = options.now();
    const end = await runBatch({
      entries,
      contexts: entries.map((e) => this.#context(e)),
      batcher: planner.batcher,
      supervisor: this.supervisor,
      options,
      runSignal: this.ctx.runSignal,
      deadSignal: life.dead.signal,
      execSignal: life.signal,
      onStarted: (entry, ctx, startedAt) => this.#emitStarted(entry, ctx, startedAt),
      onResult: (entry, result) =>
        result.outcome === 'canceled'
          ? state.finish(entry, result)
          : fileCompleted(this.ctx, entry, result),
    });
    this.#busyMs += options.now() - t0;
    this.#attempts += end.attempts;
    if (end.startupMs !== undefined) planner.observeStartup(end.startupMs);
    for (const entry of [...end.unrun].reverse()) state.requeue(entry);
    if (end.death) {
      const [first] = end.death.crashed;
      this.#died(end.death.error.message, first?.entry.test.id);
      for (const { entry, result } of end.death.crashed) fileCrashed(this.ctx, entry, result);
      return this.#restartDead();
    }
    return end.timedOut ? this.#aliveAfterTimeout(life) : true;
  }

  /** Run one attempt and file its result. False when the supervisor left the run. */
  async #runTest(entry: TestEntry, life: Life): Promise<boolean> {
    const { options, state } = this.ctx;
    const ctx = this.#context(entry);
    const startedAt = options.now();
    this.#emitStarted(entry, ctx, startedAt);
    const end = await runAttempt({
      test: entry.test,
      ctx,
      supervisor: this.supervisor,
      options,
      runSignal: this.ctx.runSignal,
      deadSignal: life.dead.signal,
      execSignal: life.signal,
    });
    this.#busyMs += options.now() - startedAt;
    this.#attempts++;
    if (end.kind === 'canceled') {
      state.finish(entry, end.result);
      return true;
    }
    if (end.kind === 'crashed') {
      // The death is reported before what it means for the test (rescheduled or final).
      this.#died(end.error.message, entry.test.id);
      fileCrashed(this.ctx, entry, end.result);
      return this.#restartDead();
    }
    fileCompleted(this.ctx, entry, end.result);
    return end.result.timedOut ? this.#aliveAfterTimeout(life) : true;
  }

  /** After a timeout: true when the supervisor still answers, else restart it. */
  async #aliveAfterTimeout(life: Life): Promise<boolean> {
    const { options } = this.ctx;
    if (this.ctx.runSignal.aborted) return true;
    if (await probeAlive(this.supervisor, options.probe, life.signal)) return true;
    return this.#restart(`${describeProbeFailure(options.probe)} after a test timed out`);
  }
}
