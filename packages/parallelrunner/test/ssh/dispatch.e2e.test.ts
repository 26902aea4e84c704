import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { connectOnce } from '../../src/ssh/connect.js';
import { DispatcherPool } from '../../src/ssh/dispatcher-pool.js';
import { SshSupervisor, type SshSupervisorOptions } from '../../src/ssh/index.js';
import { RemoteCommand } from '../../src/ssh/remote-command.js';
import { describeWith } from '../support/e2e.js';
import { alive, dispatcherLoops } from './support/processes.js';
import { type Sshd, startSshd } from './support/sshd.js';
import { StaticTarget, endpointFor } from './support/target.js';
import { capture, pgrep, uniqueSleep, waitFor } from './support/wait.js';

const describe = describeWith('sshd');

let sshd: Sshd;
let sup: SshSupervisor;
const extra: SshSupervisor[] = [];

async function supervisor(options: Partial<SshSupervisorOptions> = {}): Promise<SshSupervisor> {
  const s = new SshSupervisor({
    name: `disp-${extra.length}`,
    target: new StaticTarget(await endpointFor(sshd)),
    ...options,
  });
  extra.push(s);
  await s.start({ timeoutMs: 15_000 });
  return s;
}

/** The process that started the command (a dispatcher loop, or a channel's shell). */
interface Parent {
  readonly pid: number;
  readonly cmdline: string;
}

/** Run a short command that reports its parent, as the parent saw itself while alive. */
async function parentOf(s: SshSupervisor): Promise<Parent> {
  const out = capture();
  const command = "sleep 0.2; echo $PPID; tr '\\0' ' ' </proc/$PPID/cmdline";
  const r = await s.exec({ command }, out);
  expect(r.exitCode).toBe(0);
  const [pid, ...rest] = out.stdout().split('\n');
  return { pid: Number(pid), cmdline: rest.join('\n') };
}

const isLoop = (p: Parent) => p.cmdline.includes('__ff_dispatch__');

beforeAll(async () => {
  sshd = await startSshd();
  sup = new SshSupervisor({ name: 'disp', target: new StaticTarget(await endpointFor(sshd)) });
  await sup.start({ timeoutMs: 15_000 });
});

afterEach(async () => {
  await Promise.all(extra.splice(0).map((s) => s.stop()));
});

afterAll(async () => {
  await sup?.stop();
  await sshd?.stop();
});

describe('persistent dispatch', () => {
  it('runs many sequential commands on one dispatcher: no new sshd child per command', async () => {
    expect((await sup.exec({ command: 'true' })).exitCode).toBe(0);
    const loops = await dispatcherLoops(sshd);
    expect(loops).toHaveLength(1);
    const before = await sshd.descendants();
    const parents = new Set<string>();
    for (let i = 0; i < 40; i++) {
      const out = capture();
      const r = await sup.exec({ command: `echo $PPID; exit ${i % 3}` }, out);
      expect(r.exitCode).toBe(i % 3);
      parents.add(out.stdout().trim());
    }
    expect([...parents]).toEqual([String(loops[0])]);
    expect(await sshd.descendants()).toEqual(before);
  });

  it('passes output that looks like its markers through untouched', async () => {
    const out = capture();
    const tail = "printf '__ff_pgid__:7\\n__ff_end_' >&2; printf '__ff_end_'; exit 4";
    const fragments = "i=0; while [ $i -lt 3000 ]; do printf '__ff_end_%s' $i; i=$((i+1)); done";
    const r = await sup.exec(
      {
        command: `printf '__ff_end_0123__0:\\n__ff_pgid__:1\\n'; ${fragments}; ${tail}`,
      },
      out,
    );
    const expected = Array.from({ length: 3000 }, (_, i) => `__ff_end_${i}`).join('');
    expect(r).toMatchObject({ exitCode: 4, exitSignal: null });
    expect(out.stdout()).toBe(`__ff_end_0123__0:\n__ff_pgid__:1\n${expected}__ff_end_`);
    expect(out.stderr()).toBe('__ff_pgid__:7\n__ff_end_');
  });

  it('gives a command EOF on stdin and keeps the request stream intact', async () => {
    const out = capture();
    const r = await sup.exec({ command: 'cat; read x; echo "read:$?:$x"' }, out);
    expect(r.exitCode).toBe(0);
    expect(out.stdout()).toBe('read:1:\n');
    const next = capture();
    expect((await sup.exec({ command: 'echo next' }, next)).exitCode).toBe(0);
    expect(next.stdout()).toBe('next\n');
  });

  it('runs an exec, a probe and a trace at once on dispatchers of their own', async () => {
    const out = capture();
    const running = sup.exec({ command: 'sleep 0.8; echo done' }, out);
    const trace = await sup.trace('while :; do sleep 0.05; done', '/dev/null');
    const started = Date.now();
    expect(await sup.probe()).toBe(true);
    expect(Date.now() - started).toBeLessThan(700);
    expect((await dispatcherLoops(sshd)).length).toBe(3);
    await trace.stop();
    expect((await running).exitCode).toBe(0);
    expect(out.stdout()).toBe('done\n');
  });

  it('replaces a dispatcher whose shell was killed while idle, rerunning the command', async () => {
    expect((await sup.exec({ command: 'true' })).exitCode).toBe(0);
    const killed = await dispatcherLoops(sshd);
    for (const pid of killed) process.kill(pid, 'SIGKILL');
    // No pause: the next request may reach a dead loop before its channel reports the death.
    const parent = await parentOf(sup);
    expect(killed).not.toContain(parent.pid);
    expect(isLoop(parent)).toBe(true);
  });

  it('kills the command when its dispatcher shell is killed under it', async () => {
    const sleep = uniqueSleep();
    const pending = sup.exec({ command: `${sleep}; echo never` });
    expect(await waitFor(async () => (await pgrep(`^${sleep}`)).length === 1)).toBe(true);
    const loops = await dispatcherLoops(sshd);
    for (const pid of loops) process.kill(pid, 'SIGKILL');
    expect(await pending).toMatchObject({ exitCode: null, exitSignal: 'SIGKILL' });
    expect(await waitFor(async () => (await pgrep(`^${sleep}`)).length === 0)).toBe(true);
    expect((await sup.exec({ command: 'true' })).exitCode).toBe(0);
  });

  it('kills the group on timeout and keeps using the dispatcher', async () => {
    await sup.exec({ command: 'true' });
    const loops = await dispatcherLoops(sshd);
    const sleep = uniqueSleep();
    const r = await sup.exec({ command: `${sleep} & ${sleep}` }, { timeoutMs: 400 });
    expect(r).toMatchObject({ timedOut: true, exitSignal: 'SIGTERM' });
    expect(await waitFor(async () => (await pgrep(`^${sleep}`)).length === 0)).toBe(true);
    expect(loops).toContain((await parentOf(sup)).pid);
  });
});

describe('dispatch fallbacks and modes', () => {
  it('runs commands beyond maxDispatchers on channels of their own', async () => {
    const s = await supervisor({ maxDispatchers: 1 });
    const parents = await Promise.all([parentOf(s), parentOf(s)]);
    expect(parents.filter(isLoop)).toHaveLength(1);
    const channels = parents.filter((p) => !isLoop(p));
    expect(channels.map((p) => p.cmdline.includes(' -c setsid sh -c '))).toEqual([true]);
  });

  it('skips what the login shell prints before the loop starts', async () => {
    // As a login shell's rc file would: print before running the command.
    const banner = 'echo "welcome to the test host"; echo "banner on stderr" >&2';
    const noisy = await startSshd({
      config: [`ForceCommand ${banner}; eval "$SSH_ORIGINAL_COMMAND"`],
    });
    const target = new StaticTarget(await endpointFor(noisy));
    const s = new SshSupervisor({ name: 'noisy', target });
    const c = new SshSupervisor({ name: 'noisy-channel', target, dispatch: 'channel' });
    try {
      await Promise.all([s.start({ timeoutMs: 15_000 }), c.start({ timeoutMs: 15_000 })]);
      // A channel per command shows the banner in the command's output.
      const channel = capture();
      await c.exec({ command: 'true' }, channel);
      expect(channel.stdout()).toBe('welcome to the test host\n');
      const parent = await parentOf(s);
      expect(isLoop(parent)).toBe(true);
      const out = capture();
      expect((await s.exec({ command: 'echo clean' }, out)).exitCode).toBe(0);
      expect([out.stdout(), out.stderr()]).toEqual(['clean\n', '']);
    } finally {
      await Promise.all([s.stop(), c.stop()]);
      await noisy.stop();
    }
  });

  it("opens no dispatcher with dispatch: 'channel'", async () => {
    const s = await supervisor({ dispatch: 'channel' });
    const parents = [await parentOf(s), await parentOf(s), await parentOf(s)];
    expect(new Set(parents.map((p) => p.pid)).size).toBe(3);
    expect(parents.filter(isLoop)).toEqual([]);
  });

  it('falls back to channels when no dispatcher can start', async () => {
    const tuning = { keepaliveIntervalMs: 60_000, keepaliveCountMax: 3 };
    const client = await connectOnce(await endpointFor(sshd), tuning, AbortSignal.timeout(10_000));
    const before = new Set(await dispatcherLoops(sshd));
    try {
      // No loop reports ready within 1 ms: the pool gives up on dispatchers for good.
      const pool = new DispatcherPool(client, { max: 2, openTimeoutMs: 1 });
      for (let i = 0; i < 2; i++) {
        const out = capture();
        const cmd = await pool.start({ command: 'echo $PPID; exit 5' }, out.onStdout, out.onStderr);
        expect(cmd).toBeInstanceOf(RemoteCommand);
        expect((await cmd.exit).exitCode).toBe(5);
      }
      const leftover = async () => (await dispatcherLoops(sshd)).filter((p) => !before.has(p));
      expect(await waitFor(async () => (await leftover()).length === 0)).toBe(true);
    } finally {
      client.end();
    }
  });

  it('cancels a command whose signal aborted while its dispatcher was opening', async () => {
    const s = await supervisor();
    const sleep = uniqueSleep();
    const r = await s.exec({ command: sleep }, { signal: AbortSignal.timeout(5) });
    expect(r).toMatchObject({ canceled: true, timedOut: false });
    expect(await waitFor(async () => (await pgrep(`^${sleep}`)).length === 0)).toBe(true);
  });

  it('rejects a maxDispatchers below 1', () => {
    const target = new StaticTarget({
      host: '127.0.0.1',
      port: 1,
      username: 'x',
      hostKey: { mode: 'off' },
    });
    expect(() => new SshSupervisor({ name: 'bad', target, maxDispatchers: 0 })).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_OPTION' }),
    );
  });

  it('stop ends every dispatcher: no process is left behind', async () => {
    const s = await supervisor();
    const before = new Set(await dispatcherLoops(sshd));
    await Promise.all([parentOf(s), parentOf(s), parentOf(s)]);
    const mine = (await dispatcherLoops(sshd)).filter((pid) => !before.has(pid));
    expect(mine).toHaveLength(3);
    await s.stop();
    const gone = async () => (await Promise.all(mine.map(alive))).every((a) => !a);
    expect(await waitFor(gone)).toBe(true);
  });
});
