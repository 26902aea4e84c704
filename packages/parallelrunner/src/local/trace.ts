import { spawn } from 'node:child_process';
import { mkdir, open } from 'node:fs/promises';
import path from 'node:path';
import type { TraceHandle } from '../supervisor.js';
import { terminateGroup } from './process-group.js';
import type { ProcessSpec } from './run-process.js';

/** A running trace; `stop` is idempotent. */
export interface LocalTrace extends TraceHandle {
  /** Settles when the traced command has exited (on its own or by `stop`). */
  readonly exited: Promise<void>;
}

/**
 * Start `spec` as the leader of a new process group with stdout and stderr both written
 * straight to `destFile` (created or truncated, parent directories made). The child writes
 * the file itself, so once its group is gone the output is complete. Resolves once the
 * process runs; rejects with the spawn error (e.g. a missing shell).
 */
export async function startTrace(
  spec: ProcessSpec,
  destFile: string,
  graceMs: number,
): Promise<LocalTrace> {
  await mkdir(path.dirname(destFile), { recursive: true });
  const file = await open(destFile, 'w');
  try {
    const child = spawn(spec.shell, ['-c', spec.command], {
      cwd: spec.cwd,
      env: spec.env,
      detached: true,
      stdio: ['ignore', file.fd, file.fd],
    });
    const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
    await new Promise<void>((resolve, reject) => {
      const onError = (error: Error) => {
        child.off('spawn', onSpawn);
        reject(error);
      };
      const onSpawn = () => {
        child.off('error', onError);
        // Keep an 'error' listener: an unhandled one would crash the process.
        child.on('error', () => undefined);
        resolve();
      };
      child.once('spawn', onSpawn);
      child.once('error', onError);
    });
    const pid = child.pid;
    let stopping: Promise<void> | undefined;
    const stop = () => {
      stopping ??= (async () => {
        if (pid !== undefined) await terminateGroup(pid, { graceMs }).catch(() => undefined);
        await exited;
      })();
      return stopping;
    };
    return { stop, exited };
  } finally {
    // The child holds its own copies of the descriptor.
    await file.close();
  }
}
