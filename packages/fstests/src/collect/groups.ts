/**
 * Reading test groups without running anything: the `_begin_fstest` line of a test file, or the
 * generated `tests/<dir>/group.list`.
 */
import { open } from 'node:fs/promises';

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
 * `_begin_fstest` line. A file without one has no groups.
 */
export async function readTestGroups(path: string): Promise<string[]> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await handle.read(head, 0, HEAD_BYTES, 0);
    const text = head.toString('utf8', 0, bytesRead);
    // Only trust a match on a complete line: the head may cut the line in the middle.
    const lastNewline = text.lastIndexOf('\n');
    const complete = bytesRead < HEAD_BYTES ? text : text.slice(0, lastNewline + 1);
    const fromHead = parseBeginFstest(complete);
    if (fromHead !== undefined || bytesRead < HEAD_BYTES) return fromHead ?? [];
    // Positional reads leave the file position at 0, so this reads the whole file.
    const whole = await handle.readFile({ encoding: 'utf8' });
    return parseBeginFstest(whole) ?? [];
  } finally {
    await handle.close();
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
