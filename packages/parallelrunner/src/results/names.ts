import { InvalidNameError } from '../errors.js';

/** Letters, digits and `. _ + @ = ~ , -`, not starting with `-` (never mistaken for an option). */
const SEGMENT = /^(?!-)[A-Za-z0-9._+@=~,-]+$/;
const MAX_SEGMENT = 255;
const MAX_ID = 1024;

/** `true` when `segment` can be a path segment as it is (the alphabet of `assertSafeSegment`). */
export function isSafeSegment(segment: string): boolean {
  return (
    segment !== '.' &&
    segment !== '..' &&
    SEGMENT.test(segment) &&
    Buffer.byteLength(segment) <= MAX_SEGMENT
  );
}

function hasControlCharacter(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

function describe(value: string): string {
  return JSON.stringify(value);
}

/**
 * Throw `InvalidNameError` unless `id` is a safe relative path of `/`-separated segments made of
 * `[A-Za-z0-9._+@=~,-]` (not starting with `-`), with no empty, `.` or `..` segment, no leading
 * `/`, no NUL and no backslash (at most 255 bytes per segment, 1024 in all). Test ids need not be
 * safe (`testPath` maps any id to a safe path); this is for names that must be paths as given.
 */
export function assertSafeTestId(id: string): void {
  if (typeof id !== 'string' || id.length === 0) {
    throw new InvalidNameError('test id must be a non-empty string');
  }
  if (id.includes('\0')) throw new InvalidNameError(`test id ${describe(id)} contains NUL`);
  if (id.includes('\\')) throw new InvalidNameError(`test id ${describe(id)} contains a backslash`);
  if (id.startsWith('/')) throw new InvalidNameError(`test id ${describe(id)} is absolute`);
  if (id.length > MAX_ID) {
    throw new InvalidNameError(`test id ${describe(id.slice(0, 40))}... is longer than ${MAX_ID}`);
  }
  for (const segment of id.split('/')) checkSegment('test id', id, segment);
}

/**
 * Throw `InvalidNameError` unless `name` is one safe path segment (same alphabet as a test id
 * segment, not `.` or `..`). Used for run ids, attempt ids and trace names.
 */
export function assertSafeSegment(kind: string, name: string): void {
  if (typeof name !== 'string') throw new InvalidNameError(`${kind} must be a string`);
  if (name.includes('/')) throw new InvalidNameError(`${kind} ${describe(name)} contains "/"`);
  checkSegment(kind, name, name);
}

function checkSegment(kind: string, whole: string, segment: string): void {
  if (segment.length === 0) {
    throw new InvalidNameError(`${kind} ${describe(whole)} has an empty path segment`);
  }
  if (segment === '.' || segment === '..') {
    throw new InvalidNameError(`${kind} ${describe(whole)} has a "${segment}" path segment`);
  }
  if (segment.length > MAX_SEGMENT) {
    throw new InvalidNameError(`${kind} ${describe(whole)} has a segment over ${MAX_SEGMENT}`);
  }
  if (!SEGMENT.test(segment)) {
    throw new InvalidNameError(
      `${kind} ${describe(whole)} may only contain letters, digits and . _ + @ = ~ , - in each segment (not starting with -)`,
    );
  }
}

/**
 * Throw `InvalidNameError` unless `label` can name a recording: not empty, at most 255
 * characters, no `/`, no backslash, no NUL or other control character, not `.` or `..`, and
 * no leading `-` (it would read as an option) or `.` (hidden, and reserved for temporary
 * directories).
 */
export function assertSafeLabel(label: string): void {
  if (typeof label !== 'string' || label.length === 0) {
    throw new InvalidNameError('recording label must be a non-empty string');
  }
  const shown = describe(label);
  if (label.includes('/')) throw new InvalidNameError(`recording label ${shown} contains "/"`);
  if (label.includes('\\')) {
    throw new InvalidNameError(`recording label ${shown} contains a backslash`);
  }
  if (label.includes('..')) throw new InvalidNameError(`recording label ${shown} contains ".."`);
  if (hasControlCharacter(label)) {
    throw new InvalidNameError(`recording label ${shown} contains a control character`);
  }
  if (label.startsWith('-')) throw new InvalidNameError(`recording label ${shown} starts with "-"`);
  if (label.startsWith('.')) throw new InvalidNameError(`recording label ${shown} starts with "."`);
  if (label.length > MAX_SEGMENT) {
    throw new InvalidNameError(`recording label ${shown} is longer than ${MAX_SEGMENT}`);
  }
}

/** `true` when `check` (one of the `assertSafe*` functions) accepts; `false` when it throws. */
export function isSafe(check: () => void): boolean {
  try {
    check();
    return true;
  } catch (error) {
    if (error instanceof InvalidNameError) return false;
    throw error;
  }
}
