import { describe, expect, it } from 'vitest';
import { makePaint } from '../../src/view/format.js';
import { LiveView, type Terminal } from '../../src/view/live-view.js';
import { events, result } from '../support/events.js';
import { screen } from '../support/screen.js';

const paint = makePaint(false);

/** A terminal that keeps every byte written to it. */
function terminal(size: { columns?: number; rows?: number } = { columns: 100 }) {
  const term = {
    out: '',
    ...size,
    write(text: string) {
      term.out += text;
      return true;
    },
  };
  return term satisfies Terminal;
}

const frame = () => new Promise((r) => setTimeout(r, 400));

describe('LiveView', () => {
  it('draws a row per supervisor and a footer, and prints finished results above the rows', async () => {
    const term = terminal();
    const view = new LiveView({
      total: 2,
      supervisors: ['vm-1', 'vm-2'],
      paint,
      stream: term,
      eta: () => 90_000,
    });
    view.start();
    for (const e of events.slice(0, 5)) view.handle(e);
    await frame();
    const during = screen(term.out);
    expect(during.at(-3)).toMatch(/^\S vm-1 +running generic\/013 \d\.\ds$/);
    expect(during.at(-2)).toMatch(/^✖ vm-2 +dead: did not become ready within 60s$/);
    expect(during.at(-1)).toMatch(
      /0\/2 +pass 0 +fail 0 +skip 0 +error 0 +elapsed \d\d:\d\d +ETA 01:30$/,
    );
    for (const e of events.slice(5)) view.handle(e);
    await view.stop();
    // Finished results are permanent lines above the redrawn rows.
    const end = screen(term.out);
    expect(end).toEqual([
      'vm-2: left the run: did not become ready within 60s',
      'FAIL  generic/013 4.2s on vm-1 - output mismatch (see x.out.bad)',
      'vm-1: died: kernel crash on the console',
      'PASS  generic/001 4.2s on vm-1 flaky',
      expect.stringMatching(/^\S vm-1 +restarting \d\.\ds \(kernel crash on the console\)$/),
      '✖ vm-2  dead: did not become ready within 60s',
      expect.stringMatching(
        /^█+ 2\/2 +pass 1 +fail 1 +skip 0 +error 0 +elapsed \d\d:\d\d +ETA 01:30$/,
      ),
    ]);
    expect(term.out.endsWith('\u001b[?25h')).toBe(true); // the cursor is shown again
  });

  it('never shows a supervisor as done (✔) before it stopped: the first frame says starting', async () => {
    const term = terminal();
    const view = new LiveView({ total: 1, supervisors: ['qemu-1', 'qemu-2'], paint, stream: term });
    view.start();
    const first = screen(term.out);
    expect(first).toEqual([
      expect.stringMatching(/^[⠋-⣿] qemu-1 {2}starting$/),
      expect.stringMatching(/^[⠋-⣿] qemu-2 {2}starting$/),
      expect.stringMatching(/^░+ 0\/1 /),
    ]);
    view.handle({ type: 'supervisor:starting', supervisor: 'qemu-1', restart: false });
    view.handle({ type: 'supervisor:ready', supervisor: 'qemu-1', startupMs: 9000 });
    view.handle({ type: 'supervisor:stopped', supervisor: 'qemu-1' });
    await frame();
    await view.stop();
    const end = screen(term.out);
    expect(end[0]).toBe('✔ qemu-1  stopped');
    expect(end[1]).toMatch(/^\S qemu-2 {2}starting$/);
    expect(term.out).not.toMatch(/✔ qemu-2/);
  });

  it('prints notices above the rows, leaving no stale row behind', async () => {
    const term = terminal();
    const view = new LiveView({ total: 3, supervisors: ['qemu-1', 'qemu-2'], paint, stream: term });
    view.start();
    view.handle({ type: 'supervisor:starting', supervisor: 'qemu-1', restart: false });
    view.handle({ type: 'supervisor:starting', supervisor: 'qemu-2', restart: false });
    await frame();
    view.notice('KVM not used: the probe boot failed; using TCG (software emulation, much slower)');
    view.notice('\nSIGINT: stopping; press Ctrl-C again to force');
    await frame();
    view.handle({ type: 'test:finished', result: result('generic/001', 'pass') });
    await view.stop();
    const end = screen(term.out);
    expect(end).toEqual([
      'KVM not used: the probe boot failed; using TCG (software emulation, much slower)',
      'SIGINT: stopping; press Ctrl-C again to force',
      'PASS  generic/001 4.2s on vm-1',
      expect.stringMatching(/^\S qemu-1 {2}starting /),
      expect.stringMatching(/^\S qemu-2 {2}starting /),
      expect.stringMatching(/ 1\/3 /),
    ]);
  });

  it('says ETA ? while the ETA cannot be estimated', async () => {
    const term = terminal();
    const eta: { ms?: number } = {};
    const view = new LiveView({
      total: 3,
      supervisors: ['vm-1'],
      paint,
      stream: term,
      eta: () => eta.ms,
    });
    view.start();
    await frame();
    expect(screen(term.out).at(-1)).toMatch(/0\/3 +pass 0 .* ETA \?$/);
    eta.ms = 65_000;
    await frame();
    await view.stop();
    expect(screen(term.out).at(-1)).toMatch(/ETA 01:05$/);
  });

  it('keeps the frame on a short screen, so that every row can be redrawn', async () => {
    const term = terminal({ columns: 80, rows: 6 });
    const supervisors = Array.from({ length: 10 }, (_, i) => `qemu-${i + 1}`);
    const view = new LiveView({ total: 1, supervisors, paint, stream: term });
    view.start();
    await frame();
    await view.stop();
    const end = screen(term.out);
    expect(end).toEqual([
      expect.stringMatching(/^\S qemu-1 {3}starting/),
      expect.stringMatching(/qemu-2 /),
      expect.stringMatching(/qemu-3 /),
      '  ... 7 more',
      expect.stringMatching(/0\/1/),
    ]);
  });
});
