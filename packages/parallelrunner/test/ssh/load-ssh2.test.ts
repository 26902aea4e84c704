import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadSsh2 } from '../../src/ssh/load-ssh2.js';

const here = dirname(fileURLToPath(import.meta.url));
const child = join(here, 'fixtures', 'socket-stat-child.ts');

/**
 * What the child printed after touching a socket with `touch` and loading ssh2 with `load`.
 * Without NODE_PATH: `pnpm exec` points it at pnpm's hoisted store, which hides the failure.
 */
async function loadAfter(touch: string, load: 'require' | 'loadSsh2'): Promise<string> {
  const { NODE_PATH: _, ...env } = process.env;
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', child, touch, load],
    { cwd: here, env, timeout: 20_000 },
  );
  return stdout.trim();
}

// The cause, as this repository hits it: under pnpm, ssh2 is reached through a symbolic link
// (node_modules/ssh2 -> .pnpm/ssh2@x/node_modules/ssh2) and its dependencies are its siblings
// in the store. Once the last synchronous or callback stat of the process was of a socket,
// Node's resolver stops resolving links at the first component it has cached, so ssh2 is loaded
// from the link's path and its `require('asn1')` finds nothing. If the first case starts to
// pass, Node fixed its resolver and loadSsh2's stat refresh can go.
describe("Node's module resolver after a socket was stat'ed (why loadSsh2 exists)", () => {
  it('fails to load ssh2 after a recursive rm of a directory holding a socket', async () => {
    expect(await loadAfter('rm', 'require')).toMatch(/^FAIL Cannot find module '[\w-]+'/);
  });

  it('fails after a statSync of a socket too, but not after fs.promises.stat', async () => {
    expect(await loadAfter('statSync', 'require')).toMatch(/^FAIL Cannot find module/);
    expect(await loadAfter('promises.stat', 'require')).toBe('ok');
  });

  it('loadSsh2 loads ssh2 after either', async () => {
    expect(await loadAfter('rm', 'loadSsh2')).toBe('ok');
    expect(await loadAfter('statSync', 'loadSsh2')).toBe('ok');
  });
});

describe('loadSsh2', () => {
  it('returns the one ssh2 module on every call', () => {
    const ssh2 = loadSsh2();
    expect(typeof ssh2.Client).toBe('function');
    expect(loadSsh2()).toBe(ssh2);
  });
});
