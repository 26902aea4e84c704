import type { CommandSpec } from './test.js';

/** Options of `Supervisor.start`. */
export interface StartOptions {
  /** Give up when this aborts; reject with `signal.reason`. */
  readonly signal?: AbortSignal;
  /** Start timeout in milliseconds (the runner enforces it as well). */
  readonly timeoutMs?: number;
}

/** Options of `Supervisor.exec`. */
export interface ExecOptions {
  /** Kill the command (its whole process group) after this many milliseconds. */
  readonly timeoutMs?: number;
  /** Kill the command when this aborts; resolve with `canceled: true`. */
  readonly signal?: AbortSignal;
  /** Called with each stdout chunk as it arrives. */
  readonly onStdout?: (chunk: Buffer) => void;
  /** Called with each stderr chunk as it arrives. */
  readonly onStderr?: (chunk: Buffer) => void;
}

/** How a command ended. A result, not an exception: a failing command is not an error. */
export interface ExecResult {
  /** Exit status of the command; `null` when it was ended by a signal or never ran. */
  readonly exitCode: number | null;
  /** Name of the signal that ended the command (e.g. `SIGKILL`); `null` when it exited. */
  readonly exitSignal: string | null;
  /** `true` when the command was killed because `timeoutMs` passed. */
  readonly timedOut: boolean;
  /** `true` when the command was killed (or never started) because `signal` aborted. */
  readonly canceled: boolean;
  /** Wall-clock run time in milliseconds. */
  readonly durationMs: number;
}

/** Options of `Supervisor.probe`. */
export interface ProbeOptions {
  /** Give up (resolve `false`) when this aborts. */
  readonly signal?: AbortSignal;
  /** How long one probe may take, in ms. Default: per supervisor (10 000 for `BaseSupervisor`). */
  readonly timeoutMs?: number;
}

/** A file or directory fetched from a supervisor. */
export interface CollectedArtifact {
  /** The path on the supervisor. */
  readonly remotePath: string;
  /** Where it was stored locally. */
  readonly localPath: string;
  /** Size in bytes (for a directory, the total of the regular files under it). */
  readonly bytes: number;
}

/** A background command streamed to a file for the length of a test. */
export interface TraceHandle {
  /** Stops the command (its process group) and resolves once the output is flushed. */
  stop(): Promise<void>;
}

/**
 * One place where tests run: a VM, a host, a local process slot.
 *
 * Contract:
 * - `start` makes it ready; it may be called again after `stop` (a restart).
 * - `exec` resolves with how the command ended (also for non-zero exits, timeouts and cancels)
 *   and rejects with `SupervisorDiedError` when the supervisor itself died.
 * - `probe` resolves `true` when alive; it never throws.
 * - `stop` is idempotent, never leaves a process behind, and is what `[Symbol.asyncDispose]`
 *   calls.
 */
export interface Supervisor extends AsyncDisposable {
  /** Unique, human-readable name (`vm-1`, `host:/var/lib/xfstests`). */
  readonly name: string;
  /** Make the supervisor ready (again, after a `stop`). Rejects when it cannot be started. */
  start(options?: StartOptions): Promise<void>;
  /**
   * Run `command` and resolve with how it ended (non-zero exits, timeouts and cancels
   * included). Rejects with `SupervisorDiedError` when the supervisor itself died.
   */
  exec(command: CommandSpec, options?: ExecOptions): Promise<ExecResult>;
  /** Resolve `true` when the supervisor is alive and ready; never rejects. */
  probe(options?: ProbeOptions): Promise<boolean>;
  /**
   * Fetch `paths` into `destDir`, keeping their base names. Missing paths are skipped, not
   * errors.
   */
  collect(
    paths: readonly string[],
    destDir: string,
    options?: { signal?: AbortSignal },
  ): Promise<CollectedArtifact[]>;
  /** Start `command` in the background, streaming its stdout and stderr to `destFile`. */
  trace(
    command: string,
    destFile: string,
    options?: { signal?: AbortSignal },
  ): Promise<TraceHandle>;
  /** Release everything the supervisor holds, leaving no process behind; idempotent. */
  stop(): Promise<void>;
}
