import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { BaseSupervisor } from './base-supervisor.js';
import { InvalidOptionError, SupervisorNotStartedError, SupervisorStartError } from './errors.js';
import { copyArtifacts } from './local/collect.js';
import { type GroupProcess, type ProcessSpec, runInGroup } from './local/run-process.js';
import { type LocalTrace, startTrace } from './local/trace.js';
import type { CollectedArtifact, ExecOptions, ExecResult, TraceHandle } from './supervisor.js';
import type { CommandSpec } from './test.js';

/** Options of `LocalSupervisor`. */
export interface LocalSupervisorOptions {
  /** Name in events and results. Default: `local-1`, `local-2`, ... in creation order. */
  readonly name?: string;
  /** Working directory of commands (a command's own `cwd` wins). Default: `process.cwd()`. */
  readonly cwd?: string;
  /** Environment added to `process.env` (a command's own `env` wins). Default: none. */
  readonly env?: Readonly<Record<string, string>>;
  /** Shell that runs `shell -c COMMAND`. Default: `/bin/sh`. */
  readonly shell?: string;
  /** Time a killed process group has between SIGTERM and SIGKILL. Default: 2000 ms. */
  readonly killGraceMs?: number;
}

let instances = 0;

function checkMs(option: string, value: number): number {
  if (Number.isFinite(value) && value >= 0) return value;
  throw new InvalidOptionError(
    `${option} is ${String(value)}: expected a finite number of milliseconds >= 0`,
  );
}

/**
 * Runs commands as local processes: each command (and each trace) is the leader of its own
 * process group, and timeouts, cancellation and `stop` end the whole group (SIGTERM, then
 * SIGKILL after `killGraceMs`). When a command exits, whatever it left running in its group is
 * ended too. A local process slot for shell-based suites; `probe` runs `true`.
 */
export class LocalSupervisor extends BaseSupervisor {
  readonly #cwd: string;
  readonly #env: Readonly<Record<string, string>>;
  readonly #shell: string;
  readonly #graceMs: number;
  readonly #running = new Set<GroupProcess>();
  readonly #traces = new Set<LocalTrace>();

  /** @throws InvalidOptionError for a negative or non-finite `killGraceMs`. */
  constructor(options: LocalSupervisorOptions = {}) {
    instances++;
    super(options.name ?? `local-${instances}`);
    this.#cwd = options.cwd ?? process.cwd();
    this.#env = options.env ?? {};
    this.#shell = options.shell ?? '/bin/sh';
    this.#graceMs = checkMs('killGraceMs', options.killGraceMs ?? 2000);
  }

  /** Check that `cwd` is a directory and `shell` is executable; nothing is started. */
  protected async doStart(signal: AbortSignal): Promise<void> {
    signal.throwIfAborted();
    const cwdOk = await stat(this.#cwd).then(
      (s) => s.isDirectory(),
      () => false,
    );
    if (!cwdOk) throw new SupervisorStartError(this.name, `cwd ${this.#cwd} is not a directory`);
    await access(this.#shell, constants.X_OK).catch((cause: unknown) => {
      throw new SupervisorStartError(this.name, `shell ${this.#shell} is not executable`, {
        cause,
      });
    });
  }

  /** End every running command's process group and every trace, and wait until they are gone. */
  protected async doStop(): Promise<void> {
    const running = [...this.#running];
    for (const p of running) p.cancel();
    const traces = [...this.#traces];
    await Promise.all([...running.map((p) => p.done), ...traces.map((t) => t.stop())]);
  }

  #assertReady(operation: string): void {
    if (this.state !== 'ready') throw new SupervisorNotStartedError(this.name, operation);
  }

  #spec(command: string, cwd?: string, env?: Readonly<Record<string, string>>): ProcessSpec {
    return {
      shell: this.#shell,
      command,
      cwd: cwd ?? this.#cwd,
      env: { ...process.env, ...this.#env, ...env },
    };
  }

  /**
   * Run `command.command` with `shell -c`. Resolves with how it ended (`timedOut` after
   * `timeoutMs`, `canceled` when `signal` aborted or the supervisor stopped). A command that
   * cannot be spawned (e.g. its cwd is missing) ends with exit code 127 and a line on stderr.
   *
   * @throws SupervisorNotStartedError unless the supervisor is ready.
   * @throws InvalidOptionError for a negative or non-finite `timeoutMs`.
   */
  async exec(command: CommandSpec, options: ExecOptions = {}): Promise<ExecResult> {
    this.#assertReady('exec');
    if (options.timeoutMs !== undefined) checkMs('timeoutMs', options.timeoutMs);
    if (options.signal?.aborted) {
      return { exitCode: null, exitSignal: null, timedOut: false, canceled: true, durationMs: 0 };
    }
    const proc = runInGroup(this.#spec(command.command, command.cwd, command.env), {
      ...options,
      graceMs: this.#graceMs,
    });
    this.#running.add(proc);
    try {
      return await proc.done;
    } finally {
      this.#running.delete(proc);
    }
  }

  /**
   * Copy `paths` (relative ones from the supervisor's cwd) into `destDir` keeping base names.
   *
   * @throws SupervisorNotStartedError unless the supervisor is ready.
   */
  async collect(
    paths: readonly string[],
    destDir: string,
    options: { signal?: AbortSignal } = {},
  ): Promise<CollectedArtifact[]> {
    this.#assertReady('collect');
    return copyArtifacts(paths, destDir, this.#cwd, options.signal);
  }

  /**
   * Run `command` in the background with stdout and stderr written to `destFile`. The
   * handle's `stop` (or `signal`, or the supervisor's `stop`) ends its process group and
   * resolves once the output is in the file.
   *
   * @throws SupervisorNotStartedError unless the supervisor is ready.
   */
  async trace(
    command: string,
    destFile: string,
    options: { signal?: AbortSignal } = {},
  ): Promise<TraceHandle> {
    this.#assertReady('trace');
    options.signal?.throwIfAborted();
    const trace = await startTrace(this.#spec(command), destFile, this.#graceMs);
    if (this.state !== 'ready') {
      // The supervisor stopped while the trace was starting: it must not outlive the stop.
      await trace.stop();
      throw new SupervisorNotStartedError(this.name, 'trace');
    }
    this.#traces.add(trace);
    const stopOnAbort = () => void trace.stop();
    options.signal?.addEventListener('abort', stopOnAbort, { once: true });
    void trace.exited.then(() => {
      this.#traces.delete(trace);
      options.signal?.removeEventListener('abort', stopOnAbort);
    });
    return { stop: () => trace.stop() };
  }
}
