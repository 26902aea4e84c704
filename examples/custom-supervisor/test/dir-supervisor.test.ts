import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  SupervisorDiedError,
  SupervisorNotStartedError,
  SupervisorStartError,
} from '@ff/parallelrunner';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DirSupervisor } from '../src/dir-supervisor.js';
import { verifyDemoSuite } from '../src/verify.js';

/** Command lines of live processes containing `marker`. */
function processesWith(marker: string): string[] {
  const out = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' });
  return out.split('\n').filter((line) => line.includes(marker) && !line.includes('ps -eo'));
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ff-dir-sup-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('DirSupervisor', () => {
  it('runs commands in its directory and streams their output', async () => {
    await using sup = new DirSupervisor({ name: 'd', dir, env: { GREETING: 'hi' } });
    await sup.start();
    const chunks: Buffer[] = [];
    const r = await sup.exec(
      { command: 'echo "$GREETING from $(pwd)"; exit 3' },
      { onStdout: (c) => chunks.push(c) },
    );
    expect(r).toMatchObject({ exitCode: 3, timedOut: false, canceled: false });
    expect(Buffer.concat(chunks).toString()).toBe(`hi from ${dir}\n`);
  });

  it('kills the whole process group on timeout and on abort', async () => {
    await using sup = new DirSupervisor({ name: 'd', dir });
    await sup.start();
    const timed = await sup.exec({ command: 'sleep 9.1251 & sleep 9.1251' }, { timeoutMs: 100 });
    expect(timed).toMatchObject({ timedOut: true, canceled: false, exitSignal: 'SIGKILL' });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const canceled = await sup.exec({ command: 'sleep 9.1252' }, { signal: controller.signal });
    expect(canceled).toMatchObject({ canceled: true, timedOut: false });
    expect(processesWith('sleep 9.125')).toEqual([]);
  });

  it('collects artifacts, skipping missing ones, and traces to a file', async () => {
    await using sup = new DirSupervisor({ name: 'd', dir });
    await sup.start();
    await writeFile(join(dir, 'a.log'), 'abc');
    const dest = join(dir, 'out');
    const got = await sup.collect(['a.log', 'missing.log'], dest);
    expect(got).toEqual([{ remotePath: 'a.log', localPath: join(dest, 'a.log'), bytes: 3 }]);
    const traceFile = join(dir, 'trace.txt');
    const trace = await sup.trace('echo tracing; exec sleep 9.1253', traceFile);
    await expect.poll(() => readFile(traceFile, 'utf8')).toBe('tracing\n');
    await trace.stop();
    expect(processesWith('sleep 9.1253')).toEqual([]);
  });

  it('fails to start on a missing directory and refuses work before start', async () => {
    const sup = new DirSupervisor({ name: 'd', dir: join(dir, 'nope') });
    await expect(sup.exec({ command: 'true' })).rejects.toBeInstanceOf(SupervisorNotStartedError);
    await expect(sup.start()).rejects.toBeInstanceOf(SupervisorStartError);
    await sup.stop();
  });

  it('reports a vanished directory as a dead supervisor', async () => {
    const gone = join(dir, 'gone');
    await using sup = new DirSupervisor({ name: 'd', dir });
    await sup.start();
    await expect(sup.exec({ command: 'true', cwd: gone })).rejects.toBeInstanceOf(
      SupervisorDiedError,
    );
  });

  it('stop ends running commands and is idempotent', async () => {
    const sup = new DirSupervisor({ name: 'd', dir });
    await sup.start();
    const running = sup.exec({ command: 'sleep 9.1254' });
    await expect.poll(() => processesWith('sleep 9.1254').length).toBeGreaterThan(0);
    await Promise.all([sup.stop(), sup.stop()]);
    await expect(running).resolves.toMatchObject({ exitSignal: 'SIGKILL' });
    expect(processesWith('sleep 9.1254')).toEqual([]);
  });
});

describe('the demo suite through the Runner', () => {
  it('passes every check: results, retries, crash reschedule, timeout, results store', async () => {
    const lines = await verifyDemoSuite();
    expect(lines).toHaveLength(6);
    expect(processesWith('sleep 7.3125')).toEqual([]);
  });
});
