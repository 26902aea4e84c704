import { ParallelRunnerError, errorCategory } from '@ff/parallelrunner';

/** Exit statuses of `ff`. */
export const EXIT = {
  /** Every test passed or was skipped. */
  ok: 0,
  /** A test failed or errored (or could not run). */
  failures: 1,
  /** Usage or configuration error: nothing ran. */
  usage: 2,
  /** Interrupted (Ctrl-C) after stopping every supervisor and saving what finished. */
  interrupted: 130,
} as const;

/**
 * The exit status for an error that ended a command: 2 when its `category` is `usage` (see
 * `ParallelRunnerError`: the input was wrong, nothing ran), else 1.
 */
export function exitCodeFor(error: unknown): number {
  return errorCategory(error) === 'usage' ? EXIT.usage : EXIT.failures;
}

/** A usage error raised by the CLI itself. */
export class UsageError extends ParallelRunnerError {
  constructor(message: string) {
    super('ERR_USAGE', message, { category: 'usage' });
  }
}
