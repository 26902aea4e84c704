/** POSIX shell helpers shared by shell-based supervisors. */

/** Words that need no quoting in any POSIX shell. */
const SAFE_WORD = /^[A-Za-z0-9_./:+@%,-]+$/;

/**
 * Quote `s` as one POSIX shell word. Words made only of `[A-Za-z0-9_./:+@%,-]` are returned as
 * they are (readable commands in logs); anything else is wrapped in single quotes, with each
 * embedded `'` written as `'\''`. Safe for any string without NUL (which no shell argument can
 * hold).
 *
 * @example shellQuote('generic/001') === 'generic/001'
 * @example shellQuote("it's") === `'it'\\''s'`
 */
export function shellQuote(s: string): string {
  if (SAFE_WORD.test(s)) return s;
  return `'${s.replaceAll("'", "'\\''")}'`;
}
