import { SupervisorStartTimeoutError } from './errors.js';
import type {
  CollectedArtifact,
  ExecOptions,
  ExecResult,
  ProbeOptions,
  StartOptions,
  Supervisor,
  TraceHandle,
} from './supervisor.js';
import type { CommandSpec } from './test.js';
import { raceAbort } from './util/abort.js';

/** Lifecycle state of a `BaseSupervisor`. */
export type SupervisorState = 'idle' | 'starting' | 'ready' | 'stopping' | 'stopped';

/**
 * Shared lifecycle for supervisors: start with a timeout and a signal, idempotent stop that
 * waits for an in-flight start, `Symbol.asyncDispose`, and a default probe that runs `true`.
 * Subclasses implement `doStart`, `doStop`, `exec`, `collect` and `trace`.
 */
export abstract class BaseSupervisor implements Supervisor {
  /** Unique, human-readable name, as given to the constructor. */
  readonly name: string;
  #state: SupervisorState = 'idle';
  #starting: Promise<void> | undefined;
  #stopping: Promise<void> | undefined;
  #startController: AbortController | undefined;

  constructor(name: string) {
    this.name = name;
  }

  /** Current lifecycle state. */
  get state(): SupervisorState {
    return this.#state;
  }

  /**
   * Bring the supervisor up. `signal` aborts when the caller gives up or the start timeout
   * passes; implementations must then release what they acquired (or leave it to `doStop`).
   */
  protected abstract doStart(signal: AbortSignal): Promise<void>;
  /** Release everything `doStart` acquired. Called once per start, also after a failed start. */
  protected abstract doStop(): Promise<void>;

  /** Run `command` on the supervisor; see `Supervisor.exec`. */
  abstract exec(command: CommandSpec, options?: ExecOptions): Promise<ExecResult>;
  /** Fetch `paths` into `destDir`, skipping missing ones; see `Supervisor.collect`. */
  abstract collect(
    paths: readonly string[],
    destDir: string,
    options?: { signal?: AbortSignal },
  ): Promise<CollectedArtifact[]>;
  /** Stream a background `command` to `destFile`; see `Supervisor.trace`. */
  abstract trace(
    command: string,
    destFile: string,
    options?: { signal?: AbortSignal },
  ): Promise<TraceHandle>;

  /**
   * Run `doStart` unless already ready; concurrent calls share one attempt, and a call during
   * `stop` waits for it first. On failure `doStop` runs and the state returns to `idle`.
   *
   * @throws SupervisorStartTimeoutError when `timeoutMs` passes first.
   */
  async start(options: StartOptions = {}): Promise<void> {
    if (this.#stopping) await this.#stopping;
    if (this.#state === 'ready') return;
    if (this.#starting) return this.#starting;
    this.#stopping = undefined;
    const controller = new AbortController();
    this.#startController = controller;
    const signals = [controller.signal];
    if (options.signal) signals.push(options.signal);
    if (options.timeoutMs !== undefined) signals.push(AbortSignal.timeout(options.timeoutMs));
    const signal = AbortSignal.any(signals);
    this.#state = 'starting';
    const attempt = (async () => {
      try {
        await raceAbort(this.doStart(signal), signal);
        this.#state = 'ready';
      } catch (error) {
        controller.abort();
        // Release before reporting idle: a stop() meanwhile waits for this start (and its
        // cleanup) to settle instead of returning while processes still run.
        await this.doStop().catch(() => undefined);
        this.#state = 'idle';
        if (
          options.timeoutMs !== undefined &&
          !options.signal?.aborted &&
          signal.reason instanceof DOMException &&
          signal.reason.name === 'TimeoutError'
        ) {
          throw new SupervisorStartTimeoutError(this.name, options.timeoutMs);
        }
        throw error;
      }
    })();
    this.#starting = attempt;
    try {
      await attempt;
    } finally {
      this.#starting = undefined;
      this.#startController = undefined;
    }
  }

  /** Default liveness probe: run `true` within `timeoutMs` (default 10 000 ms); false unless ready. */
  async probe(options: ProbeOptions = {}): Promise<boolean> {
    if (this.#state !== 'ready') return false;
    try {
      const r = await this.exec(
        { command: 'true' },
        {
          timeoutMs: options.timeoutMs ?? 10_000,
          ...(options.signal ? { signal: options.signal } : {}),
        },
      );
      return r.exitCode === 0 && !r.timedOut && !r.canceled;
    } catch {
      return false;
    }
  }

  /**
   * Abort a start in flight and run `doStop` once (if a start succeeded). Idempotent: repeated
   * calls share one stop; the state ends as `stopped`.
   */
  stop(): Promise<void> {
    if (this.#stopping) return this.#stopping;
    if (this.#state === 'idle' || this.#state === 'stopped') {
      this.#state = 'stopped';
      return Promise.resolve();
    }
    const starting = this.#starting;
    this.#state = 'stopping';
    this.#stopping = (async () => {
      try {
        // A start in flight is aborted; a failed start already released what it acquired.
        this.#startController?.abort(new Error(`${this.name}: stopped while starting`));
        const started = starting
          ? await starting.then(
              () => true,
              () => false,
            )
          : true;
        if (started) await this.doStop();
      } finally {
        this.#state = 'stopped';
      }
    })();
    return this.#stopping;
  }

  /** Same as `stop()`, for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.stop();
  }
}
