import { describe, expect, it } from 'vitest';
import {
  assertSectionName,
  compareTestNames,
  globToRegExp,
  isTestFileName,
  parseTestPattern,
} from '../../src/collect/names.js';

describe('the fstests name grammar', () => {
  it('accepts three digits, longer ids and NNN-some-name', () => {
    for (const name of ['001', '999', '1234', '001-some-name', '123abc', '042-Mixed-9']) {
      expect(isTestFileName(name), name).toBe(true);
    }
  });

  it('rejects .out, .cfg, group.list, *.out.* and other files', () => {
    for (const name of [
      '001.out',
      '001.cfg',
      'group.list',
      '001.out.bad',
      '01',
      'Makefile',
      '001 x',
      '001_x',
      '.001',
    ]) {
      expect(isTestFileName(name), name).toBe(false);
    }
  });
});

describe('parseTestPattern', () => {
  it('splits dir/name and strips a tests/ prefix', () => {
    expect(parseTestPattern('tests/xfs/001')).toEqual({
      dir: 'xfs',
      name: '001',
      text: 'xfs/001',
      isGlob: false,
    });
    expect(parseTestPattern('generic/0*').isGlob).toBe(true);
    expect(parseTestPattern('btrfs/*')).toMatchObject({ dir: 'btrfs', name: '*', isGlob: true });
  });

  it('rejects shell characters before anything runs', () => {
    for (const bad of [
      'generic/001;reboot',
      'generic/$(id)',
      "xfs/001'",
      'a b/001',
      'generic/`x`',
      'generic/001|x',
      'generic/001&',
      '../001',
    ]) {
      expect(() => parseTestPattern(bad), bad).toThrow(
        expect.objectContaining({ code: 'ERR_INVALID_TEST_NAME' }),
      );
    }
  });

  it('rejects names without a directory or outside the grammar', () => {
    for (const bad of ['001', 'generic/', '/001', 'generic/001/x', 'generic/01', 'generic/abc']) {
      expect(() => parseTestPattern(bad), bad).toThrow(
        expect.objectContaining({ code: 'ERR_INVALID_TEST_NAME' }),
      );
    }
  });
});

describe('globToRegExp', () => {
  it('supports *, ?, [set] and [!set]', () => {
    expect(globToRegExp('0*').test('001')).toBe(true);
    expect(globToRegExp('0*').test('100')).toBe(false);
    expect(globToRegExp('00?').test('007')).toBe(true);
    expect(globToRegExp('00?').test('0071')).toBe(false);
    expect(globToRegExp('00[13]').test('003')).toBe(true);
    expect(globToRegExp('00[!13]').test('003')).toBe(false);
    expect(globToRegExp('00[!13]').test('002')).toBe(true);
    expect(globToRegExp('a.b').test('axb')).toBe(false);
  });
});

describe('sections and ordering', () => {
  it('accepts section names of the local.config grammar only', () => {
    expect(assertSectionName('xfs_4k-crc')).toBe('xfs_4k-crc');
    expect(() => assertSectionName('x;y')).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_SECTION' }),
    );
    expect(() => assertSectionName('')).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_SECTION' }),
    );
  });

  it('sorts by number first', () => {
    expect(['100', '010', '1000', '002-b', '002-a', '002'].sort(compareTestNames)).toEqual([
      '002',
      '002-a',
      '002-b',
      '010',
      '100',
      '1000',
    ]);
  });
});
