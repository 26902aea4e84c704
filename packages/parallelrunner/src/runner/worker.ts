import { SupervisorDiedError, describeCause } from '../errors.js';
import type { SupervisorReport } from '../summary.js';
import type { Supervisor } from '../supervisor.js';
import type { TestResult } from '../test.js';
import { runAttempt } from './attempt.js';
import type { EventEmitter } from './emitter.js';
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
      const entry = state.take();
      if (entry) {
        if (!(await this.#runTest(entry, life))) return;
        continue;
      }
      if (state.drainedSignal.aborted) return;
      await state.waitForWork(life.signal);
    }
  }

  /** Run one attempt and file its result. False when the supervisor left the run. */
  async #runTest(entry: TestEntry, life: Life): Promise<boolean> {
    const { options, emitter, state, runId } = this.ctx;
    const name = this.supervisor.name;
    const attempt = entry.attempts.length + 1;
    const ctx = { attemptId: `${runId}-${attempt}`, attempt, supervisor: name };
    const startedAt = options.now();
    emitter.emit({ type: 'test:started', testId: entry.test.id, ...ctx, startedAt });
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
      this.#crashed(entry, end.result);
      return this.#restartDead();
    }
    this.#completed(entry, end.result);
    if (!end.result.timedOut || this.ctx.runSignal.aborted) return true;
    if (await probeAlive(this.supervisor, options.probe, life.signal)) return true;
    return this.#restart(`${describeProbeFailure(options.probe)} after a test timed out`);
  }

  #crashed(entry: TestEntry, result: TestResult): void {
    const { options, emitter, state } = this.ctx;
    const kills = entry.reschedules + 1;
    if (kills >= options.maxSupervisorRestarts) {
      const times = kills === 1 ? 'once' : `${kills} times`;
      state.finish(entry, {
        ...result,
        summary: `killed its supervisor ${times} (${result.summary})`,
      });
      return;
    }
    entry.attempts.push(result);
    entry.reschedules++;
    emitter.emit({ type: 'test:rescheduled', result });
    state.requeue(entry);
  }

  #completed(entry: TestEntry, result: TestResult): void {
    const { options, emitter, state, runSignal } = this.ctx;
    const failed = result.status === 'fail' || result.status === 'error';
    if (failed && entry.retries < options.retryFailures && !runSignal.aborted) {
      entry.attempts.push(result);
      entry.retries++;
      emitter.emit({ type: 'test:retried', result });
      state.requeue(entry);
      return;
    }
    state.finish(entry, result);
  }
}
