/** POSIX shell quoting. */

const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/**
 * Quote `value` as one POSIX shell word. Safe words are returned as they are; anything else is
 * wrapped in single quotes, with embedded single quotes written as `'\''`.
 */
export function shellQuote(value: string): string {
  if (SAFE.test(value)) return value;
  return `'${value.replaceAll("'", "'\\''")}'`;
}

/** Quote every word and join them with spaces. */
export function shellJoin(words: readonly string[]): string {
  return words.map(shellQuote).join(' ');
}
