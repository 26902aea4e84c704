import { open, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import {
  BaseSupervisor,
  type CollectedArtifact,
  type CommandSpec,
  type ExecOptions,
  type ExecResult,
  InvalidOptionError,
  SupervisorDiedError,
  SupervisorNotStartedError,
  SupervisorStartError,
  type TraceHandle,
} from '@ff/parallelrunner';
import { copyInto } from './copy-into.js';
import { type ChildOutput, GroupChild } from './process-group.js';

/** Options of `DirSupervisor`. */
export interface DirSupervisorOptions {
  /** Unique name in events and results, e.g. `dir-1`. */
  readonly name: string;
  /** Directory the commands run in; it must exist when the supervisor starts. */
  readonly dir: string;
  /** Shell that runs `shell -c COMMAND`. Default: `/bin/sh`. */
  readonly shell?: string;
  /** Environment added to `process.env` for every command. Default: none. */
  readonly env?: Readonly<Record<string, string>>;
}

const CANCELED: ExecResult = {
  exitCode: null,
  exitSignal: null,
  timedOut: false,
  canceled: true,
  durationMs: 0,
};

/**
 * Runs every command with `sh -c` inside one chosen directory, each command in its own process
 * group. A custom supervisor written against `@ff/parallelrunner`'s public API only:
 * `BaseSupervisor` supplies start-with-timeout, idempotent stop, `probe` and
 * `Symbol.asyncDispose`; this class supplies `doStart`, `doStop`, `exec`, `collect`, `trace`.
 */
export class DirSupervisor extends BaseSupervisor {
  /** Absolute directory the commands run in. */
  readonly dir: string;
  readonly #shell: string;
  readonly #env: Readonly<Record<string, string>>;
  readonly #children = new Set<GroupChild>();

  constructor(options: DirSupervisorOptions) {
    super(options.name);
    this.dir = resolve(options.dir);
    this.#shell = options.shell ?? '/bin/sh';
    this.#env = options.env ?? {};
  }

  protected async doStart(signal: AbortSignal): Promise<void> {
    signal.throwIfAborted();
    const info = await stat(this.dir).catch(() => undefined);
    if (!info?.isDirectory()) {
      throw new SupervisorStartError(this.name, `${this.dir} is not a directory`);
    }
  }

  protected async doStop(): Promise<void> {
    await Promise.all([...this.#children].map((child) => child.kill()));
  }

  #spawn(command: string, output: ChildOutput, spec?: CommandSpec): GroupChild {
    const child = new GroupChild({
      shell: this.#shell,
      command,
      cwd: spec?.cwd === undefined ? this.dir : resolve(this.dir, spec.cwd),
      env: { ...process.env, ...this.#env, ...spec?.env },
      output,
    });
    this.#children.add(child);
    void child.closed.then(() => this.#children.delete(child));
    return child;
  }

  /**
   * Run `command.command` in the directory (or `command.cwd` relative to it). Resolves with how
   * it ended; `timedOut`/`canceled` when it was killed for `timeoutMs`/`signal`.
   *
   * @throws SupervisorNotStartedError unless the supervisor is ready.
   * @throws SupervisorDiedError when the shell cannot be spawned (e.g. the directory vanished).
   */
  async exec(command: CommandSpec, options: ExecOptions = {}): Promise<ExecResult> {
    if (this.state !== 'ready') throw new SupervisorNotStartedError(this.name, 'exec');
    const { timeoutMs, signal } = options;
    if (timeoutMs !== undefined && !(timeoutMs >= 0)) {
      throw new InvalidOptionError(`timeoutMs: expected a number >= 0, got ${timeoutMs}`);
    }
    if (signal?.aborted) return CANCELED;
    const started = performance.now();
    const child = this.#spawn(command.command, 'pipe', command);
    if (options.onStdout) child.stdout?.on('data', options.onStdout);
    if (options.onStderr) child.stderr?.on('data', options.onStderr);
    let timedOut = false;
    let canceled = false;
    const onAbort = () => {
      canceled = true;
      void child.kill();
    };
    const timer =
      timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            void child.kill();
          }, timeoutMs);
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const end = await child.closed;
      if (end.error) {
        throw new SupervisorDiedError(
          this.name,
          `cannot run ${this.#shell}: ${end.error.message}`,
          {
            cause: end.error,
          },
        );
      }
      const durationMs = performance.now() - started;
      return { exitCode: end.exitCode, exitSignal: end.exitSignal, timedOut, canceled, durationMs };
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /** Copy `paths` (relative to the directory) into `destDir`; missing ones are skipped. */
  async collect(
    paths: readonly string[],
    destDir: string,
    options: { signal?: AbortSignal } = {},
  ): Promise<CollectedArtifact[]> {
    if (this.state !== 'ready') throw new SupervisorNotStartedError(this.name, 'collect');
    return copyInto(
      paths.map((p) => ({ remotePath: p, sourcePath: resolve(this.dir, p) })),
      destDir,
      options.signal,
    );
  }

  /** Run `command` in the background with its stdout and stderr appended to `destFile`. */
  async trace(
    command: string,
    destFile: string,
    options: { signal?: AbortSignal } = {},
  ): Promise<TraceHandle> {
    if (this.state !== 'ready') throw new SupervisorNotStartedError(this.name, 'trace');
    options.signal?.throwIfAborted();
    const file = await open(destFile, 'a');
    try {
      const child = this.#spawn(command, file.fd);
      return {
        stop: async () => {
          await child.kill();
        },
      };
    } finally {
      await file.close();
    }
  }
}
