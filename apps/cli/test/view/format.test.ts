import { describe, expect, it } from 'vitest';
import { formatDuration, makePaint, resultLine, useColor } from '../../src/view/format.js';
import { result } from '../support/events.js';

const paint = makePaint(false);

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

describe('format', () => {
  it('honours NO_COLOR and non-terminals', () => {
    const tty = { isTTY: true } as const;
    expect(useColor(tty as unknown as NodeJS.WriteStream, { NO_COLOR: '1' })).toBe(false);
    expect(useColor(tty as unknown as NodeJS.WriteStream, {})).toBe(true);
    expect(useColor({ isTTY: false } as unknown as NodeJS.WriteStream, {})).toBe(false);
    expect(makePaint(true).red('x')).toBe('\u001b[31mx\u001b[39m');
  });

  it('does not repeat "timed out"', () => {
    const line = resultLine(
      paint,
      result('generic/007', 'error', { timedOut: true, summary: 'timed out after 5s' }),
    );
    expect(line).toBe('ERROR generic/007 4.2s on vm-1 timed out after 5s');
  });
});
