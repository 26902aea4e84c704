/**
 * Named errors of the QEMU supervisor: `ParallelRunnerError`s (category `runtime`) with a
 * stable `code`; causes are wrapped with `{ cause }`.
 */
import { ParallelRunnerError } from '@ff/parallelrunner';

/** Stable error codes of the QEMU pieces. */
export type QemuErrorCode =
  | 'ERR_QEMU_NOT_FOUND'
  | 'ERR_QEMU_EXITED'
  | 'ERR_QEMU_ACCEL'
  | 'ERR_QEMU_HOSTFWD'
  | 'ERR_QEMU_PORT'
  | 'ERR_QEMU_QMP'
  | 'ERR_QEMU_OPTION'
  | 'ERR_APPLIANCE_BUILD';

/** The QEMU binary could not be executed (not installed, or not on PATH). */
export class QemuNotFoundError extends ParallelRunnerError {
  constructor(
    /** The QEMU binary that could not be run (a path or a name looked up on PATH). */
    readonly binary: string,
    options?: { cause?: unknown },
  ) {
    super(
      'ERR_QEMU_NOT_FOUND',
      `cannot run ${binary}: install QEMU (Debian: apt-get install qemu-system-x86)`,
      options,
    );
  }
}

/** QEMU exited before the VM was usable. `output` is the tail of its console and stderr. */
export class QemuExitedError extends ParallelRunnerError {
  constructor(
    /** Name of the VM. */
    readonly vm: string,
    /** QEMU's exit status; `null` when it was ended by a signal. */
    readonly exitCode: number | null,
    /** The signal that ended QEMU (e.g. `SIGKILL`); `null` when it exited. */
    readonly exitSignal: string | null,
    /** The tail of QEMU's stderr (at most its last 4000 characters), trimmed. */
    readonly output: string,
  ) {
    const how = exitSignal ? `signal ${exitSignal}` : `code ${exitCode}`;
    super('ERR_QEMU_EXITED', `${vm}: QEMU exited early (${how})${output ? `:\n${output}` : ''}`);
  }
}

/** KVM was requested but cannot be used. */
export class QemuAccelError extends ParallelRunnerError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_QEMU_ACCEL', message, options);
  }
}

/** QEMU could not set up the SSH port forward, even after retrying with other ports. */
export class QemuHostForwardError extends ParallelRunnerError {
  constructor(
    /** Name of the VM. */
    readonly vm: string,
    /** How many ports were tried (`LaunchOptions.attempts`, default 3). */
    readonly attempts: number,
    output: string,
  ) {
    super(
      'ERR_QEMU_HOSTFWD',
      `${vm}: QEMU could not set up the SSH port forward (${attempts} attempts):\n${output}`,
    );
  }
}

/** No free TCP port could be reserved for a VM's SSH forward. */
export class QemuPortError extends ParallelRunnerError {
  constructor(
    /** The address ports were tried on. */
    readonly host: string,
    /** How many ports were tried. */
    readonly attempts: number,
  ) {
    super('ERR_QEMU_PORT', `no free TCP port on ${host} after ${attempts} attempts`);
  }
}

/** A QMP (QEMU monitor protocol) exchange failed. */
export class QmpError extends ParallelRunnerError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_QEMU_QMP', message, options);
  }
}

/** An option of the QEMU supervisor is invalid (names the option and what was expected). */
export class QemuOptionError extends ParallelRunnerError {
  constructor(message: string) {
    super('ERR_QEMU_OPTION', message);
  }
}

/** The appliance build script failed. `output` is the tail of its stderr. */
export class ApplianceBuildError extends ParallelRunnerError {
  constructor(
    message: string,
    /** The tail of the script's stderr (or its unparsable stdout); may be empty. */
    readonly output: string,
    options?: { cause?: unknown },
  ) {
    super('ERR_APPLIANCE_BUILD', `${message}${output ? `:\n${output}` : ''}`, options);
  }
}
