/**
 * Named errors of the QEMU supervisor. Every error has a stable `code`; causes are wrapped with
 * `{ cause }`.
 */

/** Stable error codes of the QEMU pieces. */
export type QemuErrorCode =
  | 'ERR_QEMU_NOT_FOUND'
  | 'ERR_QEMU_EXITED'
  | 'ERR_QEMU_ACCEL'
  | 'ERR_QEMU_HOSTFWD'
  | 'ERR_QEMU_QMP'
  | 'ERR_QEMU_OPTION'
  | 'ERR_APPLIANCE_BUILD';

/** Base class of the QEMU errors. */
export class QemuError extends Error {
  readonly code: QemuErrorCode;
  constructor(code: QemuErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** The QEMU binary could not be executed (not installed, or not on PATH). */
export class QemuNotFoundError extends QemuError {
  constructor(
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
export class QemuExitedError extends QemuError {
  constructor(
    readonly vm: string,
    readonly exitCode: number | null,
    readonly exitSignal: string | null,
    readonly output: string,
  ) {
    const how = exitSignal ? `signal ${exitSignal}` : `code ${exitCode}`;
    super('ERR_QEMU_EXITED', `${vm}: QEMU exited early (${how})${output ? `:\n${output}` : ''}`);
  }
}

/** KVM was requested but cannot be used. */
export class QemuAccelError extends QemuError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_QEMU_ACCEL', message, options);
  }
}

/** QEMU could not set up the SSH port forward, even after retrying with other ports. */
export class QemuHostForwardError extends QemuError {
  constructor(
    readonly vm: string,
    readonly attempts: number,
    output: string,
  ) {
    super(
      'ERR_QEMU_HOSTFWD',
      `${vm}: QEMU could not set up the SSH port forward (${attempts} attempts):\n${output}`,
    );
  }
}

/** A QMP (QEMU monitor protocol) exchange failed. */
export class QmpError extends QemuError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_QEMU_QMP', message, options);
  }
}

/** An option of the QEMU supervisor is invalid (names the option and what was expected). */
export class QemuOptionError extends QemuError {
  constructor(message: string) {
    super('ERR_QEMU_OPTION', message);
  }
}

/** The appliance build script failed. `output` is the tail of its stderr. */
export class ApplianceBuildError extends QemuError {
  constructor(
    message: string,
    readonly output: string,
    options?: { cause?: unknown },
  ) {
    super('ERR_APPLIANCE_BUILD', `${message}${output ? `:\n${output}` : ''}`, options);
  }
}
