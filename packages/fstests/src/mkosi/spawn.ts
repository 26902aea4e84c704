import { spawn } from 'node:child_process';
import {
  type GroupProcess,
  type ProcessExit,
  signalGroup,
  terminateGroup,
} from '../qemu/process-group.js';
import { MkosiNotFoundError } from './errors.js';

/** Groups still alive, SIGKILLed if this Node process exits without stopping them. */
const live = new Set<number>();
let hookInstalled = false;

/**
 * Spawn mkosi as the leader of a new process group in `cwd` (the mkosi config directory), stdin
 * from /dev/null (mkosi's QEMU monitor must not read our terminal), stdout and stderr piped.
 * Rejects with `MkosiNotFoundError` when it cannot be executed. Stop it with `stopMkosi`.
 */
export function spawnMkosi(
  mkosiPath: string,
  args: readonly string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
): Promise<GroupProcess> {
  if (!hookInstalled) {
    hookInstalled = true;
    process.on('exit', () => {
      for (const pid of live) signalGroup(pid, 'SIGKILL');
    });
  }
  const child = spawn(mkosiPath, args, {
    cwd: options.cwd,
    env: options.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    child.once('error', (cause) => reject(new MkosiNotFoundError(mkosiPath, { cause })));
    child.once('spawn', () => {
      const pid = child.pid;
      if (pid === undefined) return reject(new MkosiNotFoundError(mkosiPath));
      live.add(pid);
      let exit: ProcessExit | undefined;
      const exited = new Promise<ProcessExit>((done) => {
        child.once('exit', (code, signal) => {
          // The leader is gone; anything it left in its group (e.g. QEMU) goes too.
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

/**
 * Stop mkosi the way it wants to be stopped: SIGTERM to its whole process group (mkosi stops
 * QEMU and removes the ephemeral copy, drives and state file), then SIGKILL to the group after
 * `graceMs`; whatever is left of the group once the leader is gone is SIGKILLed.
 */
export function stopMkosi(proc: GroupProcess, graceMs: number): Promise<ProcessExit> {
  return terminateGroup(proc, graceMs);
}
