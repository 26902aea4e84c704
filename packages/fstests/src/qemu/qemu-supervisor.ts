import {
  type CommandSpec,
  type ExecOptions,
  type ExecResult,
  type StartOptions,
  SupervisorDiedError,
  SupervisorStartError,
} from '@ff/parallelrunner';
import { SshSupervisor, type SshTarget } from '@ff/parallelrunner/ssh';
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
const DEATH_REPORT_GRACE_MS = 2000;

/** Lets the target reach the start in flight (a constructor cannot capture `this` for it). */
interface BootRelay {
  booting: AbortController | undefined;
}

/**
 * A supervisor for one QEMU VM reached over SSH (see `QemuVm` for what a boot does). A VM that
 * dies while booting (QEMU exits, or a kernel panic shows on the console) fails the start at
 * once, with the console tail in the message, instead of waiting out the SSH readiness polling.
 * Runner restarts boot a fresh VM.
 */
export class QemuSupervisor extends SshSupervisor {
  /** The VM this supervisor drives (PID, SSH port, console tail). */
  readonly vm: QemuVm;
  readonly #relay: BootRelay;
  readonly #timeoutMs: number;

  constructor(options: QemuSupervisorOptions) {
    const vm = new QemuVm(options);
    const relay: BootRelay = { booting: undefined };
    const target: SshTarget = {
      open: (signal, events) =>
        vm.open(signal, {
          died: (reason, evidence) => {
            events.died(reason, evidence);
            const message = evidence ? `${reason}\n${evidence}` : reason;
            relay.booting?.abort(new SupervisorStartError(options.name, message));
          },
        }),
      close: () => vm.close(),
    };
    super({
      name: options.name,
      target,
      ...(options.keepaliveIntervalMs === undefined
        ? {}
        : { keepaliveIntervalMs: options.keepaliveIntervalMs }),
      ...(options.keepaliveCountMax === undefined
        ? {}
        : { keepaliveCountMax: options.keepaliveCountMax }),
    });
    this.vm = vm;
    this.#relay = relay;
    this.#timeoutMs = options.timeoutMs ?? 180_000;
  }

  /** Starts within the shorter of this supervisor's own timeout and the caller's. */
  override start(options: StartOptions = {}): Promise<void> {
    const timeoutMs = Math.min(this.#timeoutMs, options.timeoutMs ?? Number.POSITIVE_INFINITY);
    return super.start({ ...options, timeoutMs });
  }

  /**
   * Like `SshSupervisor.exec`; when the connection dropped because the VM died, the
   * `SupervisorDiedError` names the cause (the panic line, or QEMU's exit) and carries the
   * console excerpt as `evidence`.
   */
  override async exec(command: CommandSpec, options?: ExecOptions): Promise<ExecResult> {
    try {
      return await super.exec(command, options);
    } catch (error) {
      if (!(error instanceof SupervisorDiedError) || error.evidence !== undefined) throw error;
      const death = await this.vm.waitForDeath(DEATH_REPORT_GRACE_MS);
      if (!death) throw error;
      throw new SupervisorDiedError(this.name, death.reason, {
        cause: error,
        evidence: death.evidence,
      });
    }
  }

  /** Boot the VM and connect over SSH; a VM death during the boot fails the start at once. */
  protected override async doStart(signal: AbortSignal): Promise<void> {
    const booting = new AbortController();
    this.#relay.booting = booting;
    try {
      await super.doStart(AbortSignal.any([signal, booting.signal]));
    } catch (error) {
      if (booting.signal.aborted && !signal.aborted) throw booting.signal.reason;
      throw error;
    } finally {
      this.#relay.booting = undefined;
    }
  }
}
