import { spawn } from 'node:child_process';
import type { ExecResult } from '../supervisor.js';
import { terminateGroup } from './process-group.js';

/** What to run: `shell -c command` in `cwd` with exactly `env`. */
export interface ProcessSpec {
  readonly shell: string;
  readonly command: string;
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
}

/** How to watch it. */
export interface ProcessOptions {
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  readonly onStdout?: (chunk: Buffer) => void;
  readonly onStderr?: (chunk: Buffer) => void;
  /** SIGTERM-to-SIGKILL grace when the group is killed. */
  readonly graceMs: number;
}

/** A command running in its own process group. */
export interface GroupProcess {
  /** Settles once the command ended, its group is gone and its output was delivered. */
  readonly done: Promise<ExecResult>;
  /** Kill the group and report the run as canceled. */
  cancel(): void;
}

/** Exit code reported when the shell could not be spawned at all (as a shell does for ENOENT). */
export const SPAWN_FAILED_EXIT_CODE = 127;

/**
 * Run `spec` as the leader of a new process group, streaming its output to the callbacks as it
 * arrives (nothing is buffered here). On timeout or abort the whole group gets SIGTERM, then
 * SIGKILL after `graceMs`. When the shell exits, whatever it left running in its group is
 * ended the same way, so a finished command never leaves a process behind. A spawn failure (a
 * missing cwd or shell) is reported on stderr with exit code 127.
 */
export function runInGroup(spec: ProcessSpec, options: ProcessOptions): GroupProcess {
  const started = performance.now();
  let timedOut = false;
  let canceled = false;
  let killing: Promise<void> | undefined;
  let spawnError: Error | undefined;
  const child = spawn(spec.shell, ['-c', spec.command], {
    cwd: spec.cwd,
    env: spec.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const pid = child.pid;
  const killGroup = () => {
    if (pid === undefined || killing) return;
    killing = terminateGroup(pid, { graceMs: options.graceMs }).catch(() => undefined);
  };
  const cancel = () => {
    canceled = true;
    killGroup();
  };
  const timer =
    options.timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          killGroup();
        }, options.timeoutMs);
  options.signal?.addEventListener('abort', cancel, { once: true });
  if (options.onStdout) child.stdout.on('data', options.onStdout);
  if (options.onStderr) child.stderr.on('data', options.onStderr);
  // Leftovers of a command that exited on its own still hold the group (and maybe the pipes).
  child.on('exit', killGroup);
  child.on('error', (error) => {
    spawnError = error;
  });
  const done = new Promise<ExecResult>((resolve) => {
    child.on('close', (code: number | null, exitSignal: NodeJS.Signals | null) => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', cancel);
      const finish = (exitCode: number | null) =>
        resolve({
          exitCode,
          exitSignal,
          timedOut,
          canceled,
          durationMs: performance.now() - started,
        });
      if (spawnError && pid === undefined) {
        options.onStderr?.(
          Buffer.from(`cannot run ${spec.shell} in ${spec.cwd}: ${spawnError.message}\n`),
        );
        finish(SPAWN_FAILED_EXIT_CODE);
        return;
      }
      void (killing ?? Promise.resolve()).then(() => finish(code));
    });
  });
  if (options.signal?.aborted) cancel();
  return { done, cancel };
}
