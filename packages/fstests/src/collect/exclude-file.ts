/** Reading a `-E` exclude file: test names, `#` comments, blank lines. */
import { readFile } from 'node:fs/promises';
import { ExcludeFileError } from '../errors.js';
import { stripComment } from './groups.js';

/** Parse the text of an exclude file into test names (whitespace-separated, `#` comments). */
export function parseExcludeFile(text: string): string[] {
  return text
    .split('\n')
    .flatMap((line) => stripComment(line).split(/\s+/))
    .filter((word) => word !== '');
}

/** Read and parse the exclude file at `path`; `ExcludeFileError` names it when unreadable. */
export async function readExcludeFile(path: string): Promise<string[]> {
  try {
    return parseExcludeFile(await readFile(path, 'utf8'));
  } catch (cause) {
    throw new ExcludeFileError(path, { cause });
  }
}

/**
 * Read the exclude file at `path` as `./check -E` does: a file that does not exist excludes
 * nothing and adds a warning naming it to `warnings`; any other read error is an
 * `ExcludeFileError`.
 */
export async function readExcludeFileIfPresent(
  path: string,
  warnings: string[],
): Promise<string[]> {
  try {
    return await readExcludeFile(path);
  } catch (error) {
    const cause = error instanceof ExcludeFileError ? error.cause : undefined;
    if (!isNotFound(cause)) throw error;
    warnings.push(`exclude file ${path} does not exist: nothing excluded from it`);
    return [];
  }
}

function isNotFound(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === 'ENOENT';
}
