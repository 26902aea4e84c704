/**
 * Reading test groups without running anything: the `_begin_fstest` line of a test file, or the
 * generated `tests/<dir>/group.list`.
 */
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';

/** How much of a test file is read to find its `_begin_fstest` line (it is near the top). */
export const HEAD_BYTES = 4096;

const BEGIN = /^_begin_fstest(?:[ \t]+([^\n#]*))?(?:#.*)?$/m;

/**
 * The groups on the `_begin_fstest` line (at column 0) of a test file's text, or `undefined`
 * when the text has no such line.
 */
export function parseBeginFstest(text: string): string[] | undefined {
  const match = BEGIN.exec(text);
  if (!match) return undefined;
  return splitWords(match[1] ?? '');
}

/**
 * Parse a `group.list`: `#` comments, blank lines, then `NNN group group ...`. Returns test
 * name -> groups.
 */
export function parseGroupList(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const raw of text.split('\n')) {
    const line = stripComment(raw).trim();
    if (line === '') continue;
    const [name, ...groups] = splitWords(line);
    if (name !== undefined) out.set(name, groups);
  }
  return out;
}

/**
 * Read the groups of one test file: its head first, the whole file only when the head has no
 * `_begin_fstest` line. A file without one has no groups. Synchronous on purpose: thousands of
 * tiny reads are several times faster without a thread-pool round trip each; callers batch
 * them and yield between batches.
 */
export function readTestGroupsSync(
  path: string,
  head: Buffer = Buffer.alloc(HEAD_BYTES),
): string[] {
  const fd = openSync(path, 'r');
  try {
    const bytesRead = readSync(fd, head, 0, head.length, 0);
    const text = head.toString('utf8', 0, bytesRead);
    // Only trust a match on a complete line: the head may cut the line in the middle.
    const complete = bytesRead < head.length ? text : text.slice(0, text.lastIndexOf('\n') + 1);
    const fromHead = parseBeginFstest(complete);
    if (fromHead !== undefined || bytesRead < head.length) return fromHead ?? [];
    return parseBeginFstest(readFileSync(fd, 'utf8')) ?? [];
  } finally {
    closeSync(fd);
  }
}

/** Strip a `#` comment. */
export function stripComment(line: string): string {
  const hash = line.indexOf('#');
  return hash === -1 ? line : line.slice(0, hash);
}

function splitWords(text: string): string[] {
  return text.split(/\s+/).filter((w) => w !== '');
}
