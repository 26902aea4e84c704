import { type ChildProcess, spawn } from 'node:child_process';
import { QemuNotFoundError } from './errors.js';

/** How a process ended. */
export interface ProcessExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** A child process that leads its own process group (spawned detached). */
export interface GroupProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Resolves once the process has exited (never rejects). */
  readonly exited: Promise<ProcessExit>;
  /** The exit, once it happened. */
  readonly exit: ProcessExit | undefined;
}

/** Groups still alive, killed synchronously if this Node process exits without stopping them. */
const live = new Set<number>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const pid of live) signalGroup(pid, 'SIGKILL');
  });
}

/** Send `signal` to the process group led by `pid`; a group that is gone is not an error. */
export function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

/** Options of `spawnGroup`. */
export interface SpawnGroupOptions {
  /** Working directory. Default: this process's. */
  readonly cwd?: string;
  /** Environment. Default: this process's. */
  readonly env?: NodeJS.ProcessEnv;
  /** The error to reject with when `command` cannot be executed. Default `QemuNotFoundError`. */
  readonly notFound?: (command: string, cause?: unknown) => Error;
}

/**
 * Spawn `command` as the leader of a new process group, stdin from /dev/null and stdout/stderr
 * piped. Rejects with `options.notFound(...)` when the binary cannot be executed. The group is
 * SIGKILLed if this Node process exits while it is still alive, and once its leader exits.
 */
export function spawnGroup(
  command: string,
  args: readonly string[],
  options: SpawnGroupOptions = {},
): Promise<GroupProcess> {
  installExitHook();
  const notFound =
    options.notFound ?? ((cmd: string, cause?: unknown) => new QemuNotFoundError(cmd, { cause }));
  const child = spawn(command, args, {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    ...(options.env === undefined ? {} : { env: options.env }),
  });
  return new Promise((resolve, reject) => {
    child.once('error', (cause) => reject(notFound(command, cause)));
    child.once('spawn', () => {
      const pid = child.pid;
      if (pid === undefined) {
        reject(notFound(command));
        return;
      }
      live.add(pid);
      let exit: ProcessExit | undefined;
      const exited = new Promise<ProcessExit>((done) => {
        child.once('exit', (code, signal) => {
          // The leader is gone; whatever it left in its group goes too.
          signalGroup(pid, 'SIGKILL');
          live.delete(pid);
          exit = { code, signal };
          done(exit);
        });
      });
      resolve({
        child,
        pid,
        exited,
        get exit() {
          return exit;
        },
      });
    });
  });
}

/** Resolve with the exit if `proc` exits within `ms`, else with undefined. */
export async function exitWithin(proc: GroupProcess, ms: number): Promise<ProcessExit | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([proc.exited, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Stop the group: SIGTERM, then SIGKILL after `graceMs` (default 3000). Resolves once the
 * leader has exited. Safe to call on a group that already exited.
 */
export async function terminateGroup(proc: GroupProcess, graceMs = 3000): Promise<ProcessExit> {
  if (proc.exit) return proc.exit;
  signalGroup(proc.pid, 'SIGTERM');
  const exit = await exitWithin(proc, graceMs);
  if (exit) return exit;
  signalGroup(proc.pid, 'SIGKILL');
  return proc.exited;
}
