import { describe, expect, it } from 'vitest';
import { formatDuration } from '../../src/view/format.js';

describe('formatDuration', () => {
  it.each([
    [0, '0.0s'],
    [4_149, '4.1s'],
    [9_949, '9.9s'],
    [9_960, '10s'],
    [42_400, '42s'],
    [59_400, '59s'],
    [59_600, '1m00s'],
    [65_000, '1m05s'],
    [119_400, '1m59s'],
    [119_600, '2m00s'],
    [3_599_600, '1h00m'],
    [3_720_000, '1h02m'],
    [-5, '0.0s'],
  ])('%d ms is %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
