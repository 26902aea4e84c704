/**
 * The live view in a real pseudo-terminal: `ff` runs under `script` (util-linux), so its stdout
 * and stderr are a terminal, and the bytes it writes are played back on a test terminal.
 */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWith } from '../../../packages/parallelrunner/test/support/e2e.js';
import { FF, type Workspace, workspace } from './support/env.js';
import { screen } from './support/screen.js';

const describe = describeWith('sshd');
let ws: Workspace;

beforeAll(async () => {
  ws = await workspace(2);
  await ws.writeConfig(
    [
      `fstests = ${JSON.stringify(ws.fstests)}`,
      '[custom_vm]',
      `vms = ${JSON.stringify(ws.vms)}`,
      '[test_runner]',
      'dmesg = false',
    ].join('\n'),
  );
}, 60_000);

afterAll(async () => {
  await ws?.[Symbol.asyncDispose]();
});

/** Run `ff ARGS` on a 120x50 terminal; `onOutput` may answer with keys to type. */
function ffOnTerminal(
  args: readonly string[],
  onOutput: (bytes: string, type: (keys: string) => void) => void,
): Promise<{ code: number | null; bytes: string }> {
  const quote = (s: string) => `'${s.replaceAll("'", "'\\''")}'`;
  const command = `stty cols 120 rows 50; exec ${[process.execPath, FF, ...args].map(quote).join(' ')}`;
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-q', '-e', '-c', command, '/dev/null'], {
      cwd: ws.dir,
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: ws.home,
        TERM: 'xterm',
        NO_COLOR: '1',
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let bytes = '';
    const type = (keys: string) => child.stdin.write(keys);
    child.stdout.on('data', (chunk: Buffer) => {
      bytes += chunk.toString();
      onOutput(bytes, type);
    });
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, bytes }));
  });
}

describe('the live view on a terminal', () => {
  it('prints notices written while it runs above its rows, and never shows a VM as done before it stopped', async () => {
    let typed = false;
    const { code, bytes } = await ffOnTerminal(
      ['generic/001', 'generic/002', '--keep-alive'],
      (out, type) => {
        if (typed || !out.includes('press Ctrl-C to stop them')) return;
        typed = true;
        setTimeout(() => type('\u0003'), 300); // Ctrl-C ends a --keep-alive run
      },
    );
    expect(typed).toBe(true);
    expect(code).toBe(0);
    const lines = screen(bytes);
    const text = lines.join('\n');
    // The notices are whole lines, each once, above the last frame.
    const kept = lines.filter((l) => l.includes('supervisors kept alive for debugging'));
    expect(kept).toEqual([
      'all tests done; supervisors kept alive for debugging: press Ctrl-C to stop them',
    ]);
    expect(lines.filter((l) => l.includes('SIGINT: stopping'))).toEqual([
      'SIGINT: stopping; press Ctrl-C again to force',
    ]);
    // One row per host is left (the last frame): no stale rows of earlier frames.
    expect(lines.filter((l) => /^[⠀-⣿✔✖·] host1 /.test(l))).toEqual(['✔ host1  stopped']);
    expect(lines.filter((l) => /^[⠀-⣿✔✖·] host2 /.test(l))).toEqual(['✔ host2  stopped']);
    const frameAt = lines.findIndex((l) => l === '✔ host1  stopped');
    expect(lines.indexOf(kept[0] ?? '')).toBeLessThan(frameAt);
    expect(text).toMatch(/PASS +generic\/001 /);
    // The first frame is drawn before any host is ready: nothing in it is done.
    const first = bytes.slice(
      bytes.indexOf('\u001b[?25l'),
      bytes.indexOf('\u001b[', bytes.indexOf('\u001b[?25l') + 6),
    );
    expect(first).toMatch(/host1 +starting/);
    expect(first).not.toContain('✔');
  }, 120_000);
});
