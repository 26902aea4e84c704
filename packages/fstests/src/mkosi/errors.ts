import { ParallelRunnerError } from '@ff/parallelrunner';

/**
 * Named errors of the mkosi supervisor. Every error has a stable `code`; errors caused by a
 * failed mkosi invocation carry the tail of its output in `outputTail` (and in the message).
 */

/** Stable error codes of the mkosi supervisor. */
export type MkosiErrorCode =
  | 'ERR_MKOSI_NOT_FOUND'
  | 'ERR_MKOSI_VERSION'
  | 'ERR_MKOSI_TOO_OLD'
  | 'ERR_MKOSI_NOT_BUILT'
  | 'ERR_MKOSI_BUILD'
  | 'ERR_MKOSI_EXITED'
  | 'ERR_MKOSI_KEY'
  | 'ERR_MKOSI_TRANSPORT'
  | 'ERR_MKOSI_OPTION';

/** Base class of every mkosi error: a `ParallelRunnerError` that carries mkosi's output. */
export class MkosiError extends ParallelRunnerError {
  /** The last lines mkosi printed before the failure, when there was output. */
  readonly outputTail: string | undefined;
  constructor(
    code: MkosiErrorCode,
    message: string,
    options?: { cause?: unknown; outputTail?: string },
  ) {
    const tail = options?.outputTail?.trimEnd();
    const text = tail ? `${message}\n--- mkosi output (tail) ---\n${tail}` : message;
    super(code, text, options?.cause === undefined ? {} : { cause: options.cause });
    this.outputTail = tail || undefined;
  }
}

/** The mkosi executable could not be run (not installed, not on PATH, not executable). */
export class MkosiNotFoundError extends MkosiError {
  constructor(
    /** The mkosi executable that could not be run (a path or a name looked up on PATH). */
    readonly mkosiPath: string,
    options?: { cause?: unknown },
  ) {
    super(
      'ERR_MKOSI_NOT_FOUND',
      `mkosi not found: could not run "${mkosiPath}" (install mkosi 26 or newer, or set [mkosi] path)`,
      options,
    );
  }
}

/** `mkosi --version` failed or printed something that is not a version. */
export class MkosiVersionError extends MkosiError {
  constructor(message: string, options?: { cause?: unknown; outputTail?: string }) {
    super('ERR_MKOSI_VERSION', message, options);
  }
}

/** The installed mkosi is older than the oldest version the supervisor supports. */
export class MkosiTooOldError extends MkosiError {
  constructor(
    /** The version mkosi reported, as printed (e.g. `23`, `23.1`). */
    readonly found: string,
    /** The oldest supported major version (`MIN_MKOSI_VERSION`). */
    readonly minimum: number,
  ) {
    super(
      'ERR_MKOSI_TOO_OLD',
      `mkosi ${found} is too old: version ${minimum} or newer is needed (mkosi-kernel needs 26)`,
      { outputTail: `mkosi ${found}` },
    );
  }
}

/** mkosi refused to boot because the image has not been built. */
export class MkosiNotBuiltError extends MkosiError {
  constructor(outputTail: string) {
    super(
      'ERR_MKOSI_NOT_BUILT',
      'the mkosi image has not been built: run `mkosi -f build` in the mkosi config directory or set [mkosi] build = true',
      { outputTail },
    );
  }
}

/** `mkosi ... build` failed. */
export class MkosiBuildError extends MkosiError {
  constructor(
    /** Exit status of `mkosi build`; `null` when it was ended by a signal. */
    readonly exitCode: number | null,
    outputTail: string,
    options?: { cause?: unknown },
  ) {
    super('ERR_MKOSI_BUILD', `mkosi build failed (exit status ${exitCode ?? 'signal'})`, {
      ...options,
      outputTail,
    });
  }
}

/** mkosi exited before the VM became reachable. */
export class MkosiExitedError extends MkosiError {
  constructor(
    /** The machine name of the boot (`ff-<n>-<random>`). */
    readonly machine: string,
    /** mkosi's exit status; `null` when it was ended by a signal. */
    readonly exitCode: number | null,
    /** The signal that ended mkosi (e.g. `SIGKILL`); `null` when it exited. */
    readonly exitSignal: string | null,
    outputTail: string,
  ) {
    const how = exitSignal ? `signal ${exitSignal}` : `exit status ${exitCode}`;
    super('ERR_MKOSI_EXITED', `mkosi for machine ${machine} exited early (${how})`, {
      outputTail,
    });
  }
}

/** The SSH key of the mkosi config is missing, unreadable or in a format ssh2 cannot use. */
export class MkosiKeyError extends MkosiError {
  constructor(
    /** Path of the private key. */
    readonly keyPath: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super('ERR_MKOSI_KEY', `${keyPath}: ${message}`, options);
  }
}

/** The requested transport cannot work here (e.g. vsock without /dev/vhost-vsock). */
export class MkosiTransportError extends MkosiError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_MKOSI_TRANSPORT', message, options);
  }
}

/** An option of the mkosi supervisor is invalid. */
export class MkosiOptionError extends MkosiError {
  constructor(message: string) {
    super('ERR_MKOSI_OPTION', message);
  }
}
