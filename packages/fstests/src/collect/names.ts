/**
 * The fstests test name grammar (`common/test_names`: `VALID_TEST_NAME` is three digits, an
 * optional `-`, then letters, digits and dashes) and validation of names given by users.
 */
import { InvalidSectionError, InvalidTestNameError } from '../errors.js';

/** A test file name inside `tests/<dir>/`: `001`, `1234`, `001-some-name`. */
const TEST_FILE = /^[0-9]{3}-?[A-Za-z0-9-]*$/;
/** A test directory name (`generic`, `xfs`, `ext4`, `btrfs`, `nfs`, `overlay`, ...). */
const TEST_DIR = /^[A-Za-z0-9_][A-Za-z0-9_-]*$/;
/** Characters a test pattern (name or glob) may contain: never anything a shell interprets. */
const PATTERN_CHARS = /^[A-Za-z0-9_*?[\]!/-]+$/;
/** A `local.config` section name (`^\[[[:alnum:]_-]*\]`). */
const SECTION = /^[A-Za-z0-9_-]+$/;

/** Is `name` (a file name inside a test directory) a test by the fstests grammar? */
export function isTestFileName(name: string): boolean {
  return TEST_FILE.test(name);
}

/** Is `name` a plausible test directory name? */
export function isTestDirName(name: string): boolean {
  return TEST_DIR.test(name);
}

/** A user's test pattern split into directory and name parts (either may be a glob). */
export interface TestPattern {
  /** The directory part (`generic`, `x*`). */
  readonly dir: string;
  /** The name part (`001`, `0*`). */
  readonly name: string;
  /** `dir/name`, without a leading `tests/`. */
  readonly text: string;
  /** `true` when the pattern contains `*`, `?` or `[`. */
  readonly isGlob: boolean;
}

/**
 * Validate and split a test given by a user (`generic/001`, `tests/xfs/0*`, `btrfs/*`).
 * Throws `InvalidTestNameError` for shell characters, `..`, or a missing `dir/` part, before
 * anything runs.
 */
export function parseTestPattern(input: string): TestPattern {
  if (!PATTERN_CHARS.test(input)) {
    throw new InvalidTestNameError(input, 'only letters, digits, "-", "_", "/" and globs allowed');
  }
  const text = input.startsWith('tests/') ? input.slice('tests/'.length) : input;
  const parts = text.split('/');
  const [dir, name] = parts;
  if (parts.length !== 2 || dir === undefined || name === undefined || dir === '' || name === '') {
    throw new InvalidTestNameError(input, 'expected DIR/NAME, e.g. generic/001 or xfs/*');
  }
  const isGlob = /[*?[]/.test(text);
  if (!isGlob && !isTestFileName(name)) {
    throw new InvalidTestNameError(input, 'a test name is three digits, optionally -some-name');
  }
  return { dir, name, text, isGlob };
}

/** A compiled glob (`*`, `?`, `[...]`, `[!...]`) over one path segment. */
export function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob.charAt(i);
    if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 2);
      if (end === -1) source += '\\[';
      else {
        const body = glob.slice(i + 1, end);
        const negated = body.startsWith('!');
        const set = (negated ? body.slice(1) : body).replace(/[\\^]/g, '\\$&');
        source += `[${negated ? '^' : ''}${set}]`;
        i = end;
      }
    } else source += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

/** Throw `InvalidSectionError` unless `section` is a valid `local.config` section name. */
export function assertSectionName(section: string): string {
  if (!SECTION.test(section)) throw new InvalidSectionError(section);
  return section;
}

/** Compare test file names as fstests sorts them: by number, then by the whole name. */
export function compareTestNames(a: string, b: string): number {
  const na = Number.parseInt(a, 10);
  const nb = Number.parseInt(b, 10);
  if (na !== nb) return na - nb;
  return a < b ? -1 : a > b ? 1 : 0;
}
