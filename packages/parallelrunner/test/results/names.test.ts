import { describe, expect, it } from 'vitest';
import { InvalidNameError } from '../../src/errors.js';
import { assertSafeLabel, assertSafeSegment, assertSafeTestId } from '../../src/results/names.js';

describe('assertSafeTestId', () => {
  it.each(['generic/001', 'xfs/123-some-name', 'suite/a.b+c@d=e_f', 'single', 'a/b/c'])(
    'accepts %s',
    (id) => {
      expect(() => assertSafeTestId(id)).not.toThrow();
    },
  );
  it.each([
    ['', 'empty'],
    ['../etc/passwd', 'parent'],
    ['generic/../../x', 'parent in the middle'],
    ['/abs/path', 'absolute'],
    ['a//b', 'empty segment'],
    ['a/', 'trailing slash'],
    ['./a', 'dot segment'],
    ['a\0b', 'NUL'],
    ['a\\b', 'backslash'],
    ['a b', 'space'],
    ['a/$(rm)', 'shell characters'],
    ['x'.repeat(256), 'segment too long'],
  ])('rejects %j (%s) with ERR_INVALID_NAME', (id) => {
    expect(() => assertSafeTestId(id)).toThrow(InvalidNameError);
    try {
      assertSafeTestId(id);
    } catch (error) {
      expect((error as InvalidNameError).code).toBe('ERR_INVALID_NAME');
    }
  });
});

describe('assertSafeSegment', () => {
  it('rejects slashes and dot segments', () => {
    expect(() => assertSafeSegment('run id', 'a/b')).toThrow(/contains "\/"/);
    expect(() => assertSafeSegment('run id', '..')).toThrow(InvalidNameError);
    expect(() => assertSafeSegment('run id', '20260101T000000Z-1a2b')).not.toThrow();
  });
});

describe('assertSafeLabel', () => {
  it.each(['v6.8-baseline', 'before fix', '2026-01-31T12-00-05Z'])('accepts %j', (label) => {
    expect(() => assertSafeLabel(label)).not.toThrow();
  });
  it.each([
    ['', 'empty'],
    ['a/b', 'slash'],
    ['..', 'dot dot'],
    ['a..b', 'dot dot inside'],
    ['-rf', 'leading dash'],
    ['.hidden', 'leading dot'],
    ['a\0b', 'NUL'],
    ['a\nb', 'newline'],
    ['a\\b', 'backslash'],
  ])('rejects %j (%s)', (label) => {
    expect(() => assertSafeLabel(label)).toThrow(InvalidNameError);
  });
});
