import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  InvalidOptionError,
  SupervisorNotStartedError,
  SupervisorStartError,
} from '../src/errors.js';
import { LocalSupervisor } from '../src/local-supervisor.js';
import { liveGroupMembers } from '../src/local/process-group.js';
import type { ExecOptions } from '../src/supervisor.js';

/** Whether `pid` is a running (not zombie) process. */
async function running(pid: number): Promise<boolean> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** Pids of running processes whose parent is this test process. */
async function liveChildren(): Promise<number[]> {
  const { readdir } = await import('node:fs/promises');
  const pids = (await readdir('/proc')).filter((e) => /^\d+$/.test(e));
  const found: number[] = [];
  for (const pid of pids) {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[1]) === process.pid && fields[0] !== 'Z') found.push(Number(pid));
  }
  return found;
}

let dir: string;
const supervisors: LocalSupervisor[] = [];
const spawnedPids: number[] = [];

async function ready(options: ConstructorParameters<typeof LocalSupervisor>[0] = {}) {
  const s = new LocalSupervisor({ cwd: dir, killGraceMs: 300, ...options });
  supervisors.push(s);
  await s.start();
  return s;
}

/** Collects streamed chunks; `text()` is everything so far. */
function sink() {
  const chunks: Buffer[] = [];
  return {
    push: (chunk: Buffer) => {
      chunks.push(chunk);
    },
    text: () => Buffer.concat(chunks).toString(),
  };
}

/** Run `command` collecting stdout/stderr as text. */
async function run(s: LocalSupervisor, command: string, options: ExecOptions = {}) {
  const stdout = sink();
  const stderr = sink();
  const result = await s.exec(
    { command },
    { ...options, onStdout: stdout.push, onStderr: stderr.push },
  );
  return { ...result, stdout: stdout.text(), stderr: stderr.text() };
}

/** Wait until `out` holds a full line. */
async function firstLine(out: { text: () => string }): Promise<void> {
  while (!out.text().includes('\n')) await new Promise((r) => setTimeout(r, 10));
}

/** The pids a command printed, one per line (also remembered for the final check). */
function pids(text: string): number[] {
  const found = text
    .split('\n')
    .filter((l) => /^\d+$/.test(l))
    .map(Number);
  spawnedPids.push(...found);
  return found;
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ff-local-'));
});

afterEach(async () => {
  await Promise.all(supervisors.splice(0).map((s) => s.stop()));
});

afterAll(async () => {
  for (const pid of spawnedPids) expect(await running(pid), `pid ${pid} left running`).toBe(false);
  expect(await liveChildren()).toEqual([]);
  await rm(dir, { recursive: true, force: true });
});

describe('LocalSupervisor exec', () => {
  it('reports exit codes and streams stdout and stderr separately', async () => {
    const s = await ready();
    const ok = await run(s, 'echo out; echo err >&2');
    expect(ok).toMatchObject({ exitCode: 0, exitSignal: null, timedOut: false, canceled: false });
    expect(ok.stdout).toBe('out\n');
    expect(ok.stderr).toBe('err\n');
    expect(ok.durationMs).toBeGreaterThan(0);
    expect((await run(s, 'exit 3')).exitCode).toBe(3);
  });

  it('reports the signal that ended the command', async () => {
    const s = await ready();
    const r = await run(s, 'kill -KILL $$');
    expect(r).toMatchObject({ exitCode: null, exitSignal: 'SIGKILL', timedOut: false });
  });

  it('streams 50 MB of output in chunks without holding it', async () => {
    const s = await ready();
    let bytes = 0;
    let chunks = 0;
    let largest = 0;
    const r = await s.exec(
      { command: 'head -c 52428800 /dev/zero' },
      {
        onStdout: (chunk) => {
          bytes += chunk.length;
          chunks++;
          largest = Math.max(largest, chunk.length);
        },
      },
    );
    expect(r.exitCode).toBe(0);
    expect(bytes).toBe(52_428_800);
    expect(chunks).toBeGreaterThan(50);
    expect(largest).toBeLessThanOrEqual(1024 * 1024);
  });

  it('kills the whole process group on timeout', async () => {
    const s = await ready();
    const r = await run(s, 'sleep 100 & echo $!; sleep 100 & echo $!; wait', { timeoutMs: 300 });
    expect(r).toMatchObject({
      timedOut: true,
      canceled: false,
      exitCode: null,
      exitSignal: 'SIGTERM',
    });
    expect(r.durationMs).toBeLessThan(5000);
    const [a, b] = pids(r.stdout);
    expect(a && b).toBeTruthy();
    expect(await running(a ?? 0)).toBe(false);
    expect(await running(b ?? 0)).toBe(false);
  });

  it('uses SIGKILL after the grace period for processes that ignore SIGTERM', async () => {
    const s = await ready();
    const script = `sh -c 'trap "" TERM; echo $$; while :; do sleep 0.05; done' & wait`;
    const r = await run(s, script, { timeoutMs: 300 });
    expect(r.timedOut).toBe(true);
    const [stubborn] = pids(r.stdout);
    expect(stubborn).toBeDefined();
    expect(await running(stubborn ?? 0)).toBe(false);
  });

  it('cancels through an AbortSignal, killing the group', async () => {
    const s = await ready();
    const controller = new AbortController();
    const out = sink();
    const pending = s.exec(
      { command: 'sleep 100 & echo $!; wait' },
      { signal: controller.signal, onStdout: out.push },
    );
    await firstLine(out);
    controller.abort();
    const r = await pending;
    expect(r).toMatchObject({ canceled: true, timedOut: false });
    const [child] = pids(out.text());
    expect(await running(child ?? 0)).toBe(false);
    const already = await s.exec({ command: 'echo never' }, { signal: controller.signal });
    expect(already).toMatchObject({ canceled: true, exitCode: null, durationMs: 0 });
  });

  it('ends what a command left running when it exits, holding the pipes or not', async () => {
    const s = await ready();
    const detached = await run(s, 'sleep 100 >/dev/null 2>&1 & echo $!');
    const holding = await run(s, 'sleep 100 & echo $!');
    expect(detached.exitCode).toBe(0);
    expect(holding.exitCode).toBe(0);
    expect(holding.durationMs).toBeLessThan(5000);
    for (const pid of [...pids(detached.stdout), ...pids(holding.stdout)]) {
      expect(await running(pid)).toBe(false);
    }
  });

  it('merges the environment and honours cwd', async () => {
    const sub = path.join(dir, 'sub');
    await mkdir(sub, { recursive: true });
    const chunks: string[] = [];
    const s = await ready({ env: { FF_A: 'sup', FF_B: 'sup' } });
    const r = await s.exec(
      {
        command: 'echo "$FF_A $FF_B $FF_C"; pwd; test -n "$PATH"',
        env: { FF_B: 'cmd', FF_C: 'c' },
      },
      { onStdout: (c) => chunks.push(String(c)) },
    );
    expect(r.exitCode).toBe(0);
    expect(chunks.join('')).toBe(`sup cmd c\n${dir}\n`);
    expect((await run(s, 'pwd', {})).stdout).toBe(`${dir}\n`);
    const inSub = sink();
    await s.exec({ command: 'pwd', cwd: sub }, { onStdout: inSub.push });
    expect(inSub.text()).toBe(`${sub}\n`);
  });

  it('reports a command that cannot be spawned with exit code 127', async () => {
    const s = await ready();
    const stderr = sink();
    const r = await s.exec(
      { command: 'true', cwd: path.join(dir, 'missing') },
      { onStderr: stderr.push },
    );
    expect(r.exitCode).toBe(127);
    expect(stderr.text()).toMatch(/cannot run/);
  });
});

describe('LocalSupervisor lifecycle', () => {
  it('refuses exec, collect and trace before start, with a named error', async () => {
    const s = new LocalSupervisor({ cwd: dir });
    await expect(s.exec({ command: 'true' })).rejects.toBeInstanceOf(SupervisorNotStartedError);
    await expect(s.collect([], dir)).rejects.toMatchObject({ code: 'ERR_SUPERVISOR_NOT_STARTED' });
    await expect(s.trace('true', path.join(dir, 't'))).rejects.toMatchObject({
      code: 'ERR_SUPERVISOR_NOT_STARTED',
    });
    expect(await s.probe()).toBe(false);
  });

  it('rejects negative or non-finite times with InvalidOptionError', async () => {
    expect(() => new LocalSupervisor({ killGraceMs: -1 })).toThrow(InvalidOptionError);
    const s = await ready();
    await expect(s.exec({ command: 'true' }, { timeoutMs: -5 })).rejects.toMatchObject({
      code: 'ERR_INVALID_OPTION',
    });
    await expect(s.exec({ command: 'true' }, { timeoutMs: Number.NaN })).rejects.toBeInstanceOf(
      InvalidOptionError,
    );
  });

  it('fails to start with a missing cwd or shell', async () => {
    const noCwd = new LocalSupervisor({ cwd: path.join(dir, 'nope') });
    await expect(noCwd.start()).rejects.toBeInstanceOf(SupervisorStartError);
    const noShell = new LocalSupervisor({ cwd: dir, shell: path.join(dir, 'no-shell') });
    await expect(noShell.start()).rejects.toMatchObject({ code: 'ERR_SUPERVISOR_START' });
  });

  it('stop cancels running commands and traces, is idempotent, and start works again', async () => {
    const s = await ready({ name: 'slot' });
    expect(s.name).toBe('slot');
    expect(await s.probe()).toBe(true);
    const out = sink();
    const pending = s.exec({ command: 'sleep 100 & echo $!; wait' }, { onStdout: out.push });
    const traceFile = path.join(dir, 'stop-trace.log');
    await s.trace('echo $$; exec sleep 100', traceFile);
    await firstLine(out);
    await Promise.all([s.stop(), s.stop()]);
    await s.stop();
    expect(await pending).toMatchObject({ canceled: true });
    const [tracePid] = pids(await readFile(traceFile, 'utf8'));
    for (const pid of [...pids(out.text()), tracePid ?? 0]) expect(await running(pid)).toBe(false);
    await expect(s.exec({ command: 'true' })).rejects.toBeInstanceOf(SupervisorNotStartedError);
    expect(await s.probe()).toBe(false);
    await s.start();
    expect((await s.exec({ command: 'exit 4' })).exitCode).toBe(4);
    await s[Symbol.asyncDispose]();
    expect(s.state).toBe('stopped');
  });
});

describe('LocalSupervisor collect and trace', () => {
  it('copies files and directories under their base names, skipping missing paths', async () => {
    const s = await ready();
    await mkdir(path.join(dir, 'logs', 'deep'), { recursive: true });
    await writeFile(path.join(dir, 'logs', 'a.txt'), 'aaaa');
    await writeFile(path.join(dir, 'logs', 'deep', 'b.txt'), 'bb');
    await writeFile(path.join(dir, 'single.out'), 'xyz');
    const dest = path.join(dir, 'collected');
    const got = await s.collect(['logs', path.join(dir, 'single.out'), 'missing', '/nope/x'], dest);
    expect(got).toEqual([
      { remotePath: 'logs', localPath: path.join(dest, 'logs'), bytes: 6 },
      {
        remotePath: path.join(dir, 'single.out'),
        localPath: path.join(dest, 'single.out'),
        bytes: 3,
      },
    ]);
    expect(await readFile(path.join(dest, 'logs', 'deep', 'b.txt'), 'utf8')).toBe('bb');
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await expect(s.collect(['logs'], dest, { signal: controller.signal })).rejects.toThrow('stop');
  });

  it('traces a command into a file until stopped, ending its process group', async () => {
    const s = await ready();
    const file = path.join(dir, 'traces', 'dmesg.log');
    const handle = await s.trace(
      'echo $$; echo err >&2; while :; do echo tick; sleep 0.02; done',
      file,
    );
    await new Promise((r) => setTimeout(r, 200));
    await handle.stop();
    await handle.stop();
    const text = await readFile(file, 'utf8');
    expect(text).toContain('err\n');
    expect(text.split('tick').length).toBeGreaterThan(2);
    const [pid] = pids(text);
    expect(await running(pid ?? 0)).toBe(false);
    expect(await liveGroupMembers(pid ?? 0)).toEqual([]);
    expect(await readFile(file, 'utf8')).toBe(text);
  });

  it('stops a trace when its signal aborts', async () => {
    const s = await ready();
    const controller = new AbortController();
    const file = path.join(dir, 'abort-trace.log');
    await s.trace('echo $$; exec sleep 100', file, { signal: controller.signal });
    await new Promise((r) => setTimeout(r, 100));
    controller.abort();
    const [pid] = pids(await readFile(file, 'utf8'));
    for (let i = 0; i < 100 && (await running(pid ?? 0)); i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(await running(pid ?? 0)).toBe(false);
  });
});
