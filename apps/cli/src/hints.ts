/** Error messages that tell a new user what to run or set first. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONFIG_FILE_NAME, CONFIG_PATH_ENV } from '@ff/fstests';
import { UnknownSourceError } from '@ff/parallelrunner';
import { UsageError } from './exit-codes.js';

const RESULTS_FLAG = 'results directory with --results-dir DIR';

/** `config.toml.example` in this checkout, or where to find it in the repository. */
export function exampleConfig(): string {
  const inCheckout = fileURLToPath(
    new URL('../../../packages/fstests/config.toml.example', import.meta.url),
  );
  return existsSync(inCheckout)
    ? inCheckout
    : 'packages/fstests/config.toml.example in the fast-fstests repository';
}

/** No `fstests` path in the flags or the configuration (`configPath`: the file read, if any). */
export function noFstestsPath(configPath: string | undefined, cwd: string): UsageError {
  const where =
    configPath === undefined
      ? `no ${CONFIG_FILE_NAME} in ${cwd} and ${CONFIG_PATH_ENV} is not set`
      : `${configPath} has no fstests key`;
  return new UsageError(
    `no fstests path (${where}): give the local fstests checkout to collect tests from with ` +
      `--fstests DIR, or set fstests = "DIR" in ${CONFIG_FILE_NAME} (in the working directory, ` +
      `or the file named by ${CONFIG_PATH_ENV}); every key is described in ${exampleConfig()}`,
  );
}

function causeCode(error: unknown): unknown {
  const cause = error instanceof Error ? error.cause : undefined;
  return typeof cause === 'object' && cause !== null && 'code' in cause ? cause.code : undefined;
}

/**
 * A results directory that does not exist means nothing ran yet: say what to run. Any other
 * error is returned unchanged.
 */
export function noResultsYet(dir: string, error: unknown, what: string): unknown {
  if (causeCode(error) !== 'ENOENT') return error;
  return new UsageError(
    `${what}: no results in ${dir} yet; run tests first (e.g. \`ff -g quick\`) or give the ${RESULTS_FLAG}`,
  );
}

/**
 * A SOURCE that does not exist because nothing was run or recorded yet: add what to run first
 * to the message (it lists what exists). Any other error is returned unchanged.
 */
export function missingSource(error: unknown): unknown {
  if (!(error instanceof UnknownSourceError)) return error;
  const recordings = error.available.filter((a) => !a.startsWith('latest run '));
  let hint: string | undefined;
  if (error.source === 'latest' && !error.available.some((a) => a.startsWith('latest run '))) {
    hint = 'run tests first (e.g. `ff -g quick`)';
  } else if (/^-\d+$/.test(error.source) && recordings.length === 0) {
    hint =
      'nothing was recorded yet: record a baseline with `ff record LABEL` (the latest results) or ' +
      '`ff ... --record LABEL`, then run again and `ff compare`; or compare two runs with ' +
      '`ff compare -a RUN-ID`';
  }
  return hint === undefined ? error : new UsageError(`${error.message}\n  ${hint}`);
}
