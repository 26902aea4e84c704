import { createHash } from 'node:crypto';
import { InvalidNameError } from '../errors.js';
import { isSafeSegment } from './names.js';

/** Longest encoded segment kept whole; longer ones are cut and hashed. */
const MAX_SEGMENT_BYTES = 255;
/** Longest encoded path kept whole; longer ones become one hashed segment. */
const MAX_PATH_BYTES = 1024;
/** Marks a hashed segment. `%` is otherwise always followed by two hex digits. */
const HASH_MARK = '%~';
const KEEP = /[A-Za-z0-9._+@=~,-]/;

function escapeSegment(segment: string): string {
  let out = '';
  for (const ch of segment) {
    if (KEEP.test(ch) && !(out === '' && ch === '-')) out += ch;
    else
      for (const byte of Buffer.from(ch))
        out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  // "." and ".." stay special even though "." is kept elsewhere.
  if (out === '.' || out === '..') out = out.replaceAll('.', '%2E');
  return out;
}

function hashed(escaped: string, original: string): string {
  const digest = createHash('sha256').update(original).digest('hex').slice(0, 20);
  let head = escaped.slice(0, 160);
  // Do not cut an escape sequence in half.
  const cut = head.lastIndexOf('%');
  if (cut >= head.length - 2) head = head.slice(0, cut);
  return `${head}${HASH_MARK}${digest}`;
}

function encodeSegment(segment: string): string {
  if (isSafeSegment(segment)) return segment;
  const escaped = escapeSegment(segment);
  return Buffer.byteLength(escaped) <= MAX_SEGMENT_BYTES ? escaped : hashed(escaped, segment);
}

/**
 * The relative path (`/`-separated) under which a results store files the test `id`. Any
 * non-empty string is a valid id (`math > adds 1+1`, `test_parse[utf-8]`, `Array#push`): safe
 * segments stay as they are (`generic/001` → `generic/001`), other characters are escaped as
 * `%XX` (UTF-8 bytes), and an id with an empty segment is escaped as one segment. Distinct ids
 * map to distinct paths; `testIdFromPath` reverses the mapping, except for ids so long that they
 * were cut and hashed (their `result.json` keeps the real id).
 *
 * @throws InvalidNameError for an empty id.
 */
export function testPath(id: string): string {
  if (typeof id !== 'string' || id.length === 0) {
    throw new InvalidNameError('test id must be a non-empty string');
  }
  const segments = id.split('/');
  const path = segments.every((s) => s.length > 0)
    ? segments.map(encodeSegment).join('/')
    : encodeSegment(id);
  if (Buffer.byteLength(path) <= MAX_PATH_BYTES) return path;
  return hashed(escapeSegment(id), id);
}

/** The test id that `testPath` mapped to `path`; `undefined` for a hashed (cut) path. */
export function testIdFromPath(path: string): string | undefined {
  if (path.includes(HASH_MARK)) return undefined;
  try {
    return path
      .split('/')
      .map((segment) => decodeURIComponent(segment))
      .join('/');
  } catch {
    return undefined;
  }
}
