import { type ChildProcess, spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { Socket } from 'node:net';
import { delimiter, join, resolve } from 'node:path';
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

/**
 * Run as `/bin/sh -c LIFELINE sh DIR COMMAND ARGS...` with fd 3 a pipe from this process. A
 * background subshell (deaf to SIGTERM) waits for EOF on fd 3, which comes when this process is
 * gone however it ended (even SIGKILL or the OOM killer). It then TERMs the process group (QEMU
 * exits, mkosi cleans up after itself), waits ORPHAN_GRACE_S, removes DIR (when not empty) and
 * KILLs what is left of the group, itself included. It writes nowhere: the pipes to the dead
 * process would SIGPIPE it. The shell `exec`s COMMAND, so the group
 * leader's pid is COMMAND's; COMMAND does not get fd 3.
 */
const ORPHAN_GRACE_S = 3;
const LIFELINE = [
  'd=$1',
  'shift',
  `(trap '' TERM; read -r _ <&3; kill -TERM 0; sleep ${ORPHAN_GRACE_S}; [ -n "$d" ] && rm -rf -- "$d"; kill -KILL 0) >/dev/null 2>&1 &`,
  'exec "$@" 3<&-',
].join('\n');

/** The executable `command` names (a path, or looked up in PATH), or undefined. */
export async function findExecutable(
  command: string,
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<string | undefined> {
  const candidates = command.includes('/')
    ? [resolve(cwd, command)]
    : (env.PATH ?? '')
        .split(delimiter)
        .filter(Boolean)
        .map((dir) => join(resolve(cwd, dir), command));
  for (const candidate of candidates) {
    const usable = await access(candidate, constants.X_OK).then(
      async () => (await stat(candidate)).isFile(),
      () => false,
    );
    if (usable) return candidate;
  }
  return undefined;
}

/** Options of `spawnGroup`. */
export interface SpawnGroupOptions {
  /** Working directory. Default: this process's. */
  readonly cwd?: string;
  /** Environment. Default: this process's. */
  readonly env?: NodeJS.ProcessEnv;
  /** The error to reject with when `command` cannot be executed. Default `QemuNotFoundError`. */
  readonly notFound?: (command: string, cause?: unknown) => Error;
  /**
   * A directory of the group's files (e.g. a VM's drives) that the lifeline removes if this
   * process dies without stopping the group. Default: none.
   */
  readonly orphanDir?: string;
}

/**
 * Spawn `command` as the leader of a new process group, stdin from /dev/null and stdout/stderr
 * piped. Rejects with `options.notFound(...)` when the binary cannot be found or executed. The
 * group is SIGKILLed once its leader exits and if this Node process exits while it is still
 * alive; if this process is killed outright, a lifeline pipe watched inside the group stops it
 * (TERM, then KILL) and removes `orphanDir`.
 */
export async function spawnGroup(
  command: string,
  args: readonly string[],
  options: SpawnGroupOptions = {},
): Promise<GroupProcess> {
  installExitHook();
  const notFound =
    options.notFound ?? ((cmd: string, cause?: unknown) => new QemuNotFoundError(cmd, { cause }));
  const executable = await findExecutable(
    command,
    options.cwd ?? process.cwd(),
    options.env ?? process.env,
  );
  if (executable === undefined) throw notFound(command);
  const lifelineArgs = ['-c', LIFELINE, 'sh', options.orphanDir ?? '', executable, ...args];
  const child = spawn('/bin/sh', lifelineArgs, {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    ...(options.env === undefined ? {} : { env: options.env }),
  });
  // This end of the lifeline stays open, unread, until the leader exits; it must not keep the
  // event loop alive.
  const lifeline = child.stdio[3];
  if (lifeline instanceof Socket) lifeline.unref();
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
          lifeline?.destroy();
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
