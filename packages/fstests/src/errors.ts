/**
 * Named errors of `@ff/fstests` (collection, configuration, selection). Every error is a
 * `ParallelRunnerError` with a stable `code` and the category `usage` (the input is wrong);
 * causes are wrapped with `{ cause }`. Only the CLI maps them to exit codes.
 */
import { ParallelRunnerError, describeCause } from '@ff/parallelrunner';

/**
 * Stable codes of the errors below. Adding a code is a minor change; renaming one is a major
 * change. (The QEMU and mkosi errors have theirs: `QemuErrorCode`, `MkosiErrorCode`.)
 */
export type FstestsErrorCode =
  | 'ERR_CONFIG'
  | 'ERR_CONFIG_PARSE'
  | 'ERR_UNKNOWN_GROUP'
  | 'ERR_UNKNOWN_TEST'
  | 'ERR_INVALID_TEST_NAME'
  | 'ERR_INVALID_SECTION'
  | 'ERR_EXCLUDE_FILE'
  | 'ERR_EMPTY_SELECTION'
  | 'ERR_FSTESTS_PATH'
  | 'ERR_VMS'
  | 'ERR_NOTHING_TO_RERUN'
  | 'ERR_NO_SUPERVISORS';

const USAGE = { category: 'usage' } as const;

/** One problem found in a configuration (file or command-line overrides). */
export interface ConfigIssue {
  /** Dotted key path, e.g. `test_runner.test_timeout` (empty for the whole document). */
  readonly keyPath: string;
  /** What was wrong, e.g. `expected number, received "ten"`. */
  readonly message: string;
  /** For unknown keys: the nearest valid key. */
  readonly suggestion?: string;
}

/** The configuration is valid TOML but does not match the schema. */
export class ConfigError extends ParallelRunnerError {
  constructor(
    /** The file, or a description such as `command line`. */
    readonly source: string,
    /** Every problem found (at least one). */
    readonly issues: readonly ConfigIssue[],
  ) {
    super(
      'ERR_CONFIG',
      `${source}: invalid configuration:\n${issues.map(formatIssue).join('\n')}`,
      USAGE,
    );
  }
}

function formatIssue(issue: ConfigIssue): string {
  const hint = issue.suggestion === undefined ? '' : ` (did you mean "${issue.suggestion}"?)`;
  const where = issue.keyPath === '' ? '' : `${issue.keyPath}: `;
  return `  - ${where}${issue.message}${hint}`;
}

/** The configuration file is not valid TOML (or cannot be read). */
export class ConfigParseError extends ParallelRunnerError {
  constructor(
    /** The configuration file. */
    readonly file: string,
    /** 1-based line of the syntax error; undefined when unknown or the file was unreadable. */
    readonly line: number | undefined,
    /** 1-based column of the syntax error; undefined when unknown. */
    readonly column: number | undefined,
    /** What is wrong, without the location. */
    readonly detail: string,
    options?: { cause?: unknown },
  ) {
    const where = line === undefined ? file : `${file}:${line}:${column ?? 1}`;
    super('ERR_CONFIG_PARSE', `${where}: ${detail}`, { ...options, ...USAGE });
  }
}

/**
 * A requested group does not exist; `suggestions` lists close matches and, when there are
 * none, the message lists the `known` groups.
 */
export class UnknownGroupError extends ParallelRunnerError {
  constructor(
    /** The group as requested. */
    readonly group: string,
    /** Up to three existing group names close to it, best first (may be empty). */
    readonly suggestions: readonly string[],
    /** The groups that exist where it was looked for, sorted (may be empty). */
    readonly known: readonly string[] = [],
  ) {
    const hint = groupHint(group, suggestions, known);
    super('ERR_UNKNOWN_GROUP', `unknown group "${group}"${hint}`, USAGE);
  }
}

function groupHint(group: string, suggestions: readonly string[], known: readonly string[]) {
  if (/[*?[]/.test(group)) {
    return `: group names have no wildcards; "${group}" looks like a test pattern, which is given as a test, not as a group`;
  }
  if (suggestions.length > 0 || known.length === 0) return didYouMean(suggestions);
  return `; known groups: ${known.join(', ')}`;
}

/** A requested test (or a glob) matches no test; `suggestions` lists close matches. */
export class UnknownTestError extends ParallelRunnerError {
  constructor(
    /** The test name or glob as requested. */
    readonly test: string,
    /** Up to three existing test ids close to it, best first (may be empty). */
    readonly suggestions: readonly string[],
  ) {
    super('ERR_UNKNOWN_TEST', `unknown test "${test}"${didYouMean(suggestions)}`, USAGE);
  }
}

/** A test name is not of the form `dir/name` or contains characters outside the grammar. */
export class InvalidTestNameError extends ParallelRunnerError {
  constructor(
    /** The name as given. */
    readonly test: string,
    reason: string,
  ) {
    super('ERR_INVALID_TEST_NAME', `invalid test name ${JSON.stringify(test)}: ${reason}`, USAGE);
  }
}

/** A section name is not `[A-Za-z0-9_-]+` (the `local.config` section grammar). */
export class InvalidSectionError extends ParallelRunnerError {
  constructor(
    /** The section name as given. */
    readonly section: string,
  ) {
    super(
      'ERR_INVALID_SECTION',
      `invalid section name ${JSON.stringify(section)}: expected letters, digits, "_" or "-"`,
      USAGE,
    );
  }
}

/** The `-E` exclude file cannot be read. */
export class ExcludeFileError extends ParallelRunnerError {
  constructor(
    /** Path of the exclude file. */
    readonly file: string,
    options?: { cause?: unknown },
  ) {
    super(
      'ERR_EXCLUDE_FILE',
      `cannot read exclude file ${file}: ${describeCause(options?.cause)}`,
      {
        cause: options?.cause,
        ...USAGE,
      },
    );
  }
}

/** The selection is empty. */
export class EmptySelectionError extends ParallelRunnerError {
  constructor() {
    super('ERR_EMPTY_SELECTION', 'no tests to run', USAGE);
  }
}

/** The fstests path is missing or is not an fstests tree (no `tests/` directory). */
export class FstestsPathError extends ParallelRunnerError {
  constructor(
    /** The fstests path; undefined when none was configured. */
    readonly path: string | undefined,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super('ERR_FSTESTS_PATH', path === undefined ? reason : `${path}: ${reason}`, {
      ...options,
      ...USAGE,
    });
  }
}

/** A `--vms` / `custom_vm.vms` entry is malformed. */
export class VmsError extends ParallelRunnerError {
  constructor(
    /** The entry as given. */
    readonly entry: string,
    reason: string,
  ) {
    super(
      'ERR_VMS',
      `invalid VM entry ${JSON.stringify(entry)}: ${reason} (expected HOST:PATH, e.g. vm1:/var/lib/xfstests or user@host:2222:/var/lib/xfstests)`,
      USAGE,
    );
  }
}

/** `--rerun-failures`: the source has no failure, or none of them is in the selection. */
export class NothingToRerunError extends ParallelRunnerError {
  constructor(reason: string) {
    super('ERR_NOTHING_TO_RERUN', `nothing to rerun: ${reason}`, USAGE);
  }
}

/** No supervisor kind is configured: nothing to run the tests on. */
export class NoSupervisorsError extends ParallelRunnerError {
  constructor(how: string) {
    super('ERR_NO_SUPERVISORS', `nothing to run the tests on: ${how}`, USAGE);
  }
}

function didYouMean(suggestions: readonly string[]): string {
  return suggestions.length === 0 ? '' : `; did you mean ${suggestions.join(', ')}?`;
}
