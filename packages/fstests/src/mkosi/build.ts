import { once } from 'node:events';
import { ConsoleWatcher } from '../qemu/console.js';
import { buildBuildArgs } from './command.js';
import { MkosiBuildError } from './errors.js';
import { spawnMkosi, stopMkosi } from './spawn.js';
import { tailLines } from './tail.js';

/** Options of `buildMkosiImage`. */
export interface BuildMkosiImageOptions {
  /** The mkosi config directory (mkosi runs there). */
  readonly configDir: string;
  /** The mkosi executable. Default `mkosi`. */
  readonly mkosiPath?: string;
  /** The same options the VMs get. */
  readonly options?: readonly string[];
  /** Extra config files, each passed as `--include=PATH`. */
  readonly include?: readonly string[];
  /** Number of `-f` (more is a stronger rebuild). Default 1. */
  readonly force?: number;
  /** Append the build output to this file. Default: not kept. */
  readonly logPath?: string;
  /** Extra environment for mkosi, over `process.env`. */
  readonly env?: NodeJS.ProcessEnv;
  /** Called with each output chunk (stdout and stderr) as it arrives. */
  readonly onOutput?: (chunk: Buffer) => void;
  /** Abort the build: its process group gets SIGTERM, then SIGKILL after 10 s. */
  readonly signal?: AbortSignal;
}

/**
 * Build the image once before VMs are spawned: `mkosi [--include=..] [options] -f build` in the
 * config directory. Rejects with `MkosiBuildError` (with the output tail) when it fails,
 * `MkosiNotFoundError` when mkosi cannot be run, and `signal.reason` when aborted.
 */
export async function buildMkosiImage(options: BuildMkosiImageOptions): Promise<void> {
  options.signal?.throwIfAborted();
  const args = buildBuildArgs({
    ...(options.options ? { options: options.options } : {}),
    ...(options.include ? { include: options.include } : {}),
    force: options.force ?? 1,
  });
  const output = new ConsoleWatcher({
    tailLines: 200,
    ...(options.logPath ? { logPath: options.logPath } : {}),
  });
  const proc = await spawnMkosi(options.mkosiPath ?? 'mkosi', args, {
    cwd: options.configDir,
    env: { ...process.env, ...options.env },
  });
  const onChunk = (chunk: Buffer) => {
    output.write(chunk);
    options.onOutput?.(chunk);
  };
  proc.child.stdout?.on('data', onChunk);
  proc.child.stderr?.on('data', onChunk);
  const onAbort = () => void stopMkosi(proc, 10_000);
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const closed = once(proc.child, 'close');
    const exit = await proc.exited;
    await closed;
    options.signal?.throwIfAborted();
    if (exit.code !== 0) {
      throw new MkosiBuildError(exit.code, tailLines(output.tail(), 30));
    }
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    await output.close();
  }
}
