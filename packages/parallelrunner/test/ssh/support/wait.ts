import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Pids whose command line matches the regex `pattern` (pgrep -f), excluding pgrep itself. */
export async function pgrep(pattern: string): Promise<string[]> {
  const r = await run('pgrep', ['-f', pattern]).catch(() => ({ stdout: '' }));
  return r.stdout.split('\n').filter(Boolean);
}

/** A sleep duration no other process uses, so pgrep finds exactly ours. */
export function uniqueSleep(): string {
  return `sleep 9${Math.floor(Math.random() * 1e6)}.5`;
}

/** Poll `check` every 50 ms until it holds or `ms` passed; its last answer. */
export async function waitFor(check: () => Promise<boolean>, ms = 3000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return check();
}

/** Output handlers for `exec` (pass the object as its options) that collect text. */
export interface Captured {
  readonly onStdout: (chunk: Buffer) => void;
  readonly onStderr: (chunk: Buffer) => void;
  stdout(): string;
  stderr(): string;
}

export function capture(): Captured {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  return {
    onStdout: (c) => out.push(c),
    onStderr: (c) => err.push(c),
    stdout: () => Buffer.concat(out).toString(),
    stderr: () => Buffer.concat(err).toString(),
  };
}
