import {
  type GroupProcess,
  type ProcessExit,
  spawnGroup,
  terminateGroup,
} from '../qemu/process-group.js';
import { MkosiNotFoundError } from './errors.js';

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
  return spawnGroup(mkosiPath, args, {
    cwd: options.cwd,
    env: options.env,
    notFound: (cmd, cause) => new MkosiNotFoundError(cmd, { cause }),
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
