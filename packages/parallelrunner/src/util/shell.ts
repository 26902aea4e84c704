/** POSIX shell helpers shared by shell-based supervisors. */

/**
 * Quote `s` as one POSIX shell word: wrapped in single quotes, with each embedded `'` written
 * as `'\''`. Safe for any string without NUL (which no shell argument can hold).
 *
 * @example shellQuote("it's") === `'it'\\''s'`
 */
export function shellQuote(s: string): string {
  return `'${s.replaceAll("'", "'\\''")}'`;
}
