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
