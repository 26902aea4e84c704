import { SshSupervisor } from '@ff/parallelrunner/ssh';
import { QemuVm, type QemuVmOptions } from './qemu-vm.js';

/** Options of `QemuSupervisor`: the VM's options plus SSH connection tuning. */
export interface QemuSupervisorOptions extends QemuVmOptions {
  /**
   * Start timeout (boot plus SSH readiness) when the caller of `start` gives none.
   * Default 180000 ms.
   */
  readonly timeoutMs?: number;
  /** SSH keepalive interval in milliseconds. Default 5000. */
  readonly keepaliveIntervalMs?: number;
  /** Unanswered keepalives before the connection counts as dropped. Default 3. */
  readonly keepaliveCountMax?: number;
}

/** How long a dropped connection waits for the VM's own account of its death. */
export const DEATH_REPORT_GRACE_MS = 2000;

/**
 * A supervisor for one QEMU VM reached over SSH (see `QemuVm` for what a boot does). A VM that
 * dies while booting (QEMU exits, or a kernel panic shows on the console) fails the start at
 * once, with the console tail in the message, instead of waiting out the SSH readiness polling.
 * Runner restarts boot a fresh VM.
 */
export class QemuSupervisor extends SshSupervisor {
  /** The VM this supervisor drives (PID, SSH port, console tail). */
  readonly vm: QemuVm;

  constructor(options: QemuSupervisorOptions) {
    const vm = new QemuVm(options);
    super({
      name: options.name,
      target: vm,
      // A panic breaks SSH a moment before the console watcher reports it: wait for the report.
      deathReportGraceMs: DEATH_REPORT_GRACE_MS,
      startTimeoutMs: options.timeoutMs ?? 180_000,
      ...(options.keepaliveIntervalMs === undefined
        ? {}
        : { keepaliveIntervalMs: options.keepaliveIntervalMs }),
      ...(options.keepaliveCountMax === undefined
        ? {}
        : { keepaliveCountMax: options.keepaliveCountMax }),
    });
    this.vm = vm;
  }
}
