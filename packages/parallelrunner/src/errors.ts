/**
 * Named errors of `@ff/parallelrunner`. Every error has a stable `code` and a `category`; wrap
 * causes with `{ cause }`. Only applications (the CLI) map errors to exit codes and messages.
 */

/**
 * The codes of this package's errors. Adding a code is a minor change; renaming one is a major
 * change. Subclasses in other packages bring codes of their own (`code` is any string).
 */
export type ParallelRunnerErrorCode =
  | 'ERR_INVALID_OPTION'
  | 'ERR_DUPLICATE_TEST'
  | 'ERR_NO_SUPERVISOR_STARTED'
  | 'ERR_SUPERVISOR_START'
  | 'ERR_SUPERVISOR_START_TIMEOUT'
  | 'ERR_SUPERVISOR_DIED'
  | 'ERR_SUPERVISOR_STOP'
  | 'ERR_SUPERVISOR_NOT_STARTED'
  | 'ERR_SUPERVISOR_CONTRACT'
  | 'ERR_ABORTED'
  | 'ERR_TEST_CONTRACT'
  | 'ERR_RESULTS'
  | 'ERR_UNKNOWN_SOURCE'
  | 'ERR_INVALID_NAME'
  | 'ERR_SSH'
  | 'ERR_SSH_HOST_KEY'
  | 'ERR_SSH_CONFIG';

/**
 * What an error says about its cause, for an application deciding how to report it:
 * - `usage`: the input is wrong (an option, a name, a configuration, a results directory or
 *   source); fixing the input fixes it. The `ff` CLI exits with status 2.
 * - `runtime`: something failed while working (a supervisor, a connection, a process).
 */
export type ErrorCategory = 'usage' | 'runtime';

/** Options of `ParallelRunnerError`. */
export interface ParallelRunnerErrorOptions {
  /** The error this one wraps. */
  readonly cause?: unknown;
  /** Default `runtime`. */
  readonly category?: ErrorCategory;
}

/**
 * Base class of every error thrown by this package, and of errors of packages built on it:
 * `class DockerError extends ParallelRunnerError { constructor(m: string) { super('ERR_DOCKER', m) } }`.
 */
export class ParallelRunnerError extends Error {
  /** Stable, machine-readable error code (this package's: `ParallelRunnerErrorCode`). */
  readonly code: string;
  /** Whether the input was wrong (`usage`) or something failed while working (`runtime`). */
  readonly category: ErrorCategory;
  constructor(code: string, message: string, options: ParallelRunnerErrorOptions = {}) {
    super(message, 'cause' in options ? { cause: options.cause } : undefined);
    this.code = code;
    this.category = options.category ?? 'runtime';
    this.name = new.target.name;
  }
}

/** The category of any thrown value: a `category` property of `usage` or else `runtime`. */
export function errorCategory(error: unknown): ErrorCategory {
  const category =
    typeof error === 'object' && error !== null && 'category' in error ? error.category : undefined;
  return category === 'usage' ? 'usage' : 'runtime';
}

/** An option passed to the library is invalid (names the option, the value, what was expected). */
export class InvalidOptionError extends ParallelRunnerError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_INVALID_OPTION', message, { ...options, category: 'usage' });
  }
}

/** Two tests of one run share an id. */
export class DuplicateTestError extends ParallelRunnerError {
  constructor(
    /** The id used by more than one test. */
    readonly testId: string,
  ) {
    super(
      'ERR_DUPLICATE_TEST',
      `duplicate test id "${testId}": every test of a run needs a unique id`,
    );
  }
}

/** A supervisor failed to start (the cause says why). */
export class SupervisorStartError extends ParallelRunnerError {
  constructor(
    /** Name of the supervisor concerned. */
    readonly supervisor: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super('ERR_SUPERVISOR_START', `${supervisor}: ${message}`, options);
  }
}

/** A supervisor did not become ready within its start timeout. */
export class SupervisorStartTimeoutError extends ParallelRunnerError {
  constructor(
    /** Name of the supervisor concerned. */
    readonly supervisor: string,
    /** The start timeout that passed, in milliseconds. */
    readonly timeoutMs: number,
  ) {
    super(
      'ERR_SUPERVISOR_START_TIMEOUT',
      `${supervisor}: did not become ready within ${Math.round(timeoutMs / 100) / 10}s`,
    );
  }
}

/**
 * The supervisor died (connection dropped, VM crashed, console showed a panic). Thrown by
 * `Supervisor.exec` and friends; the runner restarts the supervisor and reschedules the test.
 * `evidence` carries what proves it (for example the console excerpt with the panic).
 */
export class SupervisorDiedError extends ParallelRunnerError {
  /** What proves the death (e.g. the console excerpt with the panic); undefined when none. */
  readonly evidence: string | undefined;
  constructor(
    /** Name of the supervisor concerned. */
    readonly supervisor: string,
    message: string,
    options?: { cause?: unknown; evidence?: string },
  ) {
    super('ERR_SUPERVISOR_DIED', `${supervisor}: ${message}`, options);
    this.evidence = options?.evidence;
  }
}

/** A supervisor's stop failed; the runner reports it and carries on. */
export class SupervisorStopError extends ParallelRunnerError {
  constructor(
    /** Name of the supervisor concerned. */
    readonly supervisor: string,
    options?: { cause?: unknown },
  ) {
    super(
      'ERR_SUPERVISOR_STOP',
      `${supervisor}: stop failed: ${describeCause(options?.cause)}`,
      options,
    );
  }
}

/** A supervisor broke its contract (e.g. resolved after its signal aborted, or never settled). */
export class SupervisorContractError extends ParallelRunnerError {
  constructor(
    /** Name of the supervisor concerned. */
    readonly supervisor: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super('ERR_SUPERVISOR_CONTRACT', `${supervisor}: ${message}`, options);
  }
}

/** An operation (`exec`, `collect`, `trace`) was called on a supervisor that is not ready. */
export class SupervisorNotStartedError extends ParallelRunnerError {
  constructor(
    /** Name of the supervisor concerned. */
    readonly supervisor: string,
    /** The operation that was called (`exec`, `collect`, `trace`, ...). */
    readonly operation: string,
  ) {
    super(
      'ERR_SUPERVISOR_NOT_STARTED',
      `${supervisor}: ${operation} called before start (or after stop)`,
    );
  }
}

/** The run could not start a single supervisor. `errors` holds every start error. */
export class NoSupervisorStartedError extends ParallelRunnerError {
  constructor(
    /** The start error of every supervisor that failed, in supervisor order. */
    readonly errors: readonly Error[],
  ) {
    super(
      'ERR_NO_SUPERVISOR_STARTED',
      `no supervisor could be started:\n${errors.map((e) => `  - ${e.message}`).join('\n')}`,
    );
  }
}

/** A Test implementation broke its contract (threw from `command` or `evaluate`). */
export class TestContractError extends ParallelRunnerError {
  constructor(
    /** Id of the test that broke its contract. */
    readonly testId: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super('ERR_TEST_CONTRACT', `${testId}: ${message}`, options);
  }
}

/** A name (test id, label) is not safe to use as a path or in a shell. */
export class InvalidNameError extends ParallelRunnerError {
  constructor(message: string) {
    super('ERR_INVALID_NAME', message, { category: 'usage' });
  }
}

/** One-line description of an unknown thrown value. */
export function describeCause(cause: unknown): string {
  if (cause instanceof Error) return cause.message;
  return String(cause);
}

/**
 * A results directory cannot be used: it is missing, not writable, foreign (not a results
 * directory), or a write into it failed. Raised before any supervisor starts when possible.
 */
export class ResultsError extends ParallelRunnerError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_RESULTS', message, { ...options, category: 'usage' });
  }
}

/** A results SOURCE (latest run, a label, `-N`) names nothing; `available` lists what exists. */
export class UnknownSourceError extends ParallelRunnerError {
  constructor(
    /** The SOURCE as given. */
    readonly source: string,
    /** What exists: `latest run <id>` (if any), then recording labels, newest first. */
    readonly available: readonly string[],
    message: string,
  ) {
    super('ERR_UNKNOWN_SOURCE', message, { category: 'usage' });
  }
}
