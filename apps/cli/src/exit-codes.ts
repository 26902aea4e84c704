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

const USAGE_CODES = new Set([
  'ERR_CONFIG',
  'ERR_CONFIG_PARSE',
  'ERR_UNKNOWN_GROUP',
  'ERR_UNKNOWN_TEST',
  'ERR_INVALID_TEST_NAME',
  'ERR_INVALID_SECTION',
  'ERR_EXCLUDE_FILE',
  'ERR_EMPTY_SELECTION',
  'ERR_FSTESTS_PATH',
  'ERR_VMS',
  'ERR_INVALID_OPTION',
  'ERR_INVALID_NAME',
  'ERR_UNKNOWN_SOURCE',
  'ERR_RESULTS',
  'ERR_USAGE',
]);

/** The exit status for an error that ended a command. */
export function exitCodeFor(error: unknown): number {
  const code =
    typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
  return typeof code === 'string' && USAGE_CODES.has(code) ? EXIT.usage : EXIT.failures;
}

/** A usage error raised by the CLI itself. */
export class UsageError extends Error {
  readonly code = 'ERR_USAGE';
}
