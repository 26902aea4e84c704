import {
  type CommandSpec,
  type ExecOptions,
  type ExecResult,
  SupervisorDiedError,
} from '@ff/parallelrunner';
import { DirSupervisor, type DirSupervisorOptions } from './dir-supervisor.js';

/** Fires once: for the first command containing `match`, on whichever supervisor runs it. */
export class CrashTrigger {
  #fired = false;
  constructor(readonly match: string) {}

  /** Whether the crash happened. */
  get fired(): boolean {
    return this.#fired;
  }

  /** True (once) when `command` should crash its supervisor. */
  fire(command: string): boolean {
    if (this.#fired || !command.includes(this.match)) return false;
    this.#fired = true;
    return true;
  }
}

/** Options of `CrashOnceSupervisor`. */
export interface CrashOnceOptions extends DirSupervisorOptions {
  /** Shared between supervisors so that exactly one crash happens in a run. */
  readonly trigger: CrashTrigger;
}

/**
 * A `DirSupervisor` that simulates a crash: when its trigger fires, `exec` rejects with
 * `SupervisorDiedError`, as a VM whose kernel panicked would. The runner restarts the
 * supervisor and puts the test back in the queue. For demonstrating crash recovery.
 */
export class CrashOnceSupervisor extends DirSupervisor {
  readonly #trigger: CrashTrigger;

  constructor(options: CrashOnceOptions) {
    super(options);
    this.#trigger = options.trigger;
  }

  override async exec(command: CommandSpec, options?: ExecOptions): Promise<ExecResult> {
    if (this.#trigger.fire(command.command)) {
      throw new SupervisorDiedError(this.name, 'simulated crash', {
        evidence: 'Kernel panic - not syncing: simulated',
      });
    }
    return super.exec(command, options);
  }
}
