import { SshSupervisor } from '@ff/parallelrunner/ssh';
import { DEATH_REPORT_GRACE_MS } from '../qemu/qemu-supervisor.js';
import { MkosiTarget, type MkosiTargetOptions } from './mkosi-target.js';

/** Options of `MkosiSupervisor`. */
export interface MkosiSupervisorOptions extends MkosiTargetOptions {
  /** Unique, human-readable name (e.g. `mkosi-1`). */
  readonly name: string;
  /**
   * Boot timeout: how long a start may take when the caller gives none (mkosi boot plus SSH
   * readiness). Default 300 000 ms.
   */
  readonly timeoutMs?: number;
  /** ssh2 keepalive interval. Default 5000 ms. */
  readonly keepaliveIntervalMs?: number;
}

/**
 * A supervisor for one mkosi VM: `mkosi --machine ff-<n>-<random> [--ephemeral=yes] ... vm`,
 * reached over vsock (socat proxy) or a TCP port forward with the config's `mkosi.key`. Kernel
 * crashes on the console and mkosi exiting mark it dead; stop sends SIGTERM to mkosi's process
 * group (SIGKILL after `stopTimeoutMs`).
 */
export class MkosiSupervisor extends SshSupervisor {
  /** The target that boots the VM (machine name, pid and state file of the current boot). */
  readonly target: MkosiTarget;

  constructor(options: MkosiSupervisorOptions) {
    const target = new MkosiTarget(options);
    super({
      name: options.name,
      target,
      // A panic breaks SSH a moment before the console watcher reports it: wait for the report.
      deathReportGraceMs: DEATH_REPORT_GRACE_MS,
      startTimeoutMs: options.timeoutMs ?? 300_000,
      ...(options.keepaliveIntervalMs === undefined
        ? {}
        : { keepaliveIntervalMs: options.keepaliveIntervalMs }),
    });
    this.target = target;
  }
}
