import { describe, expect, it } from 'vitest';
import { makePaint } from '../../src/view/format.js';
import { PlainView } from '../../src/view/plain-view.js';
import { events } from '../support/events.js';

const paint = makePaint(false);

describe('PlainView', () => {
  it('prints one line per meaningful event with elapsed time and progress', () => {
    const lines: string[] = [];
    const view = new PlainView(
      2,
      paint,
      (l) => lines.push(l),
      () => 0,
    );
    for (const e of events) view.handle(e);
    expect(lines).toEqual([
      '[00:00] vm-1: starting',
      '[00:00] vm-2: starting',
      '[00:00] vm-1: ready after 9.8s',
      '[00:00] vm-2: left the run: did not become ready within 60s',
      '[00:00] FAIL  generic/013 4.2s on vm-1 - output mismatch (see x.out.bad) (1/2)',
      '[00:00] vm-1: died running generic/014: kernel crash on the console',
      '[00:00] PASS  generic/001 4.2s on vm-1 flaky (2/2)',
      '[00:00] run finished in 1m05s',
    ]);
    expect(view.state.counts).toEqual({ pass: 1, fail: 1, skip: 0, error: 0 });
  });
});
