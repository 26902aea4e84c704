import { once } from 'node:events';
import type { WriteStream } from 'node:fs';
import { spawnGroup, terminateGroup } from '../qemu/process-group.js';
import { ImageStepError, ImageToolMissingError } from './errors.js';

/** How a command of the build is run and watched. */
export interface StepCommand {
  /** The step it starts with (output markers may move on to later steps). */
  readonly step: string;
  /** The program and its arguments. */
  readonly command: string;
  readonly args: readonly string[];
  /** The Debian package of `command`, for the error when it is missing. */
  readonly debianPackage: string;
  /** Its output is appended here. */
  readonly log: WriteStream;
  /** The log's path, for error messages. */
  readonly logPath: string;
  /** Receives each output line; a line `ff-image: step NAME` moves the current step. */
  readonly onLine?: (line: string) => void;
  /** Called when a marker line moves the current step. */
  readonly onStep?: (step: string) => void;
  /** Terminates the command's process group (TERM, KILL after `graceMs`). */
  readonly signal?: AbortSignal | undefined;
  /** Grace period after SIGTERM when aborted. Default 30000 (mmdebstrap cleans up). */
  readonly graceMs?: number;
}

const MARKER = /^ff-image: step ([a-z-]+)$/;
const TAIL_LINES = 30;

/**
 * Run one command of the build in its own process group, its output appended to the log and
 * split into lines. Resolves when it exits 0; rejects with `ImageStepError` naming the step the
 * markers last reached (and the output tail), `ImageToolMissingError` when it cannot be run, or
 * `signal.reason` when aborted (the group is stopped first).
 */
export async function runStep(cmd: StepCommand): Promise<void> {
  cmd.signal?.throwIfAborted();
  const proc = await spawnGroup(cmd.command, cmd.args, {
    notFound: (name) => new ImageToolMissingError(name, cmd.debianPackage, `step ${cmd.step}`),
    env: { ...process.env, LC_ALL: 'C.UTF-8' },
  });
  let step = cmd.step;
  const tail: string[] = [];
  let partial = '';
  const onChunk = (chunk: Buffer) => {
    cmd.log.write(chunk);
    const lines = (partial + chunk.toString()).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      tail.push(line);
      if (tail.length > TAIL_LINES) tail.shift();
      const marker = MARKER.exec(line);
      if (marker?.[1] !== undefined) {
        step = marker[1];
        cmd.onStep?.(step);
      }
      cmd.onLine?.(line);
    }
  };
  proc.child.stdout?.on('data', onChunk);
  proc.child.stderr?.on('data', onChunk);
  const onAbort = () => void terminateGroup(proc, cmd.graceMs ?? 30_000);
  cmd.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const closed = once(proc.child, 'close');
    const exit = await proc.exited;
    await closed;
    cmd.signal?.throwIfAborted();
    if (exit.code !== 0) {
      if (partial !== '') tail.push(partial);
      const how = exit.signal ? `killed by ${exit.signal}` : `exit status ${exit.code}`;
      throw new ImageStepError(step, how, cmd.logPath, tail.join('\n'));
    }
  } finally {
    cmd.signal?.removeEventListener('abort', onAbort);
  }
}
