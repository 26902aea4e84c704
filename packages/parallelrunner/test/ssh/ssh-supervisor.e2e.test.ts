import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { type Socket, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import {
  SupervisorDiedError,
  SupervisorStartError,
  SupervisorStartTimeoutError,
} from '../../src/errors.js';
import { SshSupervisor, type SshTarget } from '../../src/ssh/index.js';
import { describeWith } from '../support/e2e.js';
import { type Sshd, startSshd } from './support/sshd.js';
import { StaticTarget, endpointFor } from './support/target.js';
import { capture, pgrep, uniqueSleep, waitFor } from './support/wait.js';

const describe = describeWith('sshd');

const run = promisify(execFile);

/** The rejection reason of `p` (a handler is attached at once), or `undefined` if it resolved. */
function rejectionOf(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => undefined,
    (e: unknown) => e,
  );
}

let sshd: Sshd;
let sup: SshSupervisor;
let work: string;

beforeAll(async () => {
  sshd = await startSshd();
  work = await mkdtemp(join(tmpdir(), 'ff-ssh-test-'));
  sup = new SshSupervisor({ name: 'ssh-1', target: new StaticTarget(await endpointFor(sshd)) });
  await sup.start({ timeoutMs: 15_000 });
});

afterAll(async () => {
  await sup?.stop();
  await sshd?.stop();
  await rm(work, { recursive: true, force: true });
});

describe('SshSupervisor exec', () => {
  it('streams stdout and stderr (without the pgid marker) and reports the exit code', async () => {
    let out = '';
    let err = '';
    const r = await sup.exec(
      {
        command: 'echo out; echo err >&2; pwd; printf %s "$FOO"; exit 3',
        cwd: '/tmp',
        env: { FOO: "it's $HOME" },
      },
      {
        onStdout: (c) => {
          out += c;
        },
        onStderr: (c) => {
          err += c;
        },
      },
    );
    expect(r).toMatchObject({ exitCode: 3, exitSignal: null, timedOut: false, canceled: false });
    expect(out).toBe("out\n/tmp\nit's $HOME");
    expect(err).toBe('err\n');
  });

  it('reports death by signal', async () => {
    const r = await sup.exec({ command: 'kill -USR1 $$' });
    expect(r).toMatchObject({ exitCode: null, exitSignal: 'SIGUSR1' });
  });

  it('streams a 20 MB output completely', async () => {
    let bytes = 0;
    const r = await sup.exec(
      { command: 'head -c 20971520 /dev/zero' },
      {
        onStdout: (c) => {
          bytes += c.length;
        },
      },
    );
    expect(r.exitCode).toBe(0);
    expect(bytes).toBe(20 * 1024 * 1024);
  });

  it('kills the whole remote process group on timeout', async () => {
    const sleep = uniqueSleep();
    const r = await sup.exec({ command: `${sleep} & ${sleep}` }, { timeoutMs: 500 });
    expect(r).toMatchObject({
      timedOut: true,
      canceled: false,
      exitCode: null,
      exitSignal: 'SIGTERM',
    });
    expect(r.durationMs).toBeLessThan(3000);
    expect(await waitFor(async () => (await pgrep(sleep)).length === 0)).toBe(true);
  });

  it('kills the remote process group on cancel, even one that ignores SIGTERM', async () => {
    const sleep = uniqueSleep();
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 400);
    const r = await sup.exec(
      { command: `trap '' TERM; ${sleep} & ${sleep}` },
      { signal: controller.signal },
    );
    expect(r).toMatchObject({ canceled: true, timedOut: false });
    expect(await waitFor(async () => (await pgrep(sleep)).length === 0)).toBe(true);
  });

  it('kills what a finished command left running in its group', async () => {
    const sleep = uniqueSleep();
    const r = await sup.exec({ command: `${sleep} >/dev/null 2>&1 & exit 0` });
    expect(r.exitCode).toBe(0);
    expect(await waitFor(async () => (await pgrep(sleep)).length === 0)).toBe(true);
  });

  it('resolves canceled without running when the signal is already aborted', async () => {
    const r = await sup.exec({ command: 'true' }, { signal: AbortSignal.abort() });
    expect(r).toMatchObject({ canceled: true, exitCode: null });
  });
});

describe('SshSupervisor artifacts and trace', () => {
  it('collects files and directories recursively and skips missing paths', async () => {
    const remote = join(work, 'remote');
    await mkdir(join(remote, 'dir', 'sub'), { recursive: true });
    await writeFile(join(remote, 'file.txt'), 'hello');
    await writeFile(join(remote, 'dir', 'a'), 'aaa');
    await writeFile(join(remote, 'dir', 'sub', 'b'), 'bb');
    const dest = join(work, 'collected');
    const got = await sup.collect(
      [join(remote, 'file.txt'), join(remote, 'dir'), join(remote, 'missing')],
      dest,
    );
    expect(got.map((a) => [a.remotePath, a.bytes])).toEqual([
      [join(remote, 'file.txt'), 5],
      [join(remote, 'dir'), 5],
    ]);
    expect(await readFile(join(dest, 'file.txt'), 'utf8')).toBe('hello');
    expect(await readFile(join(dest, 'dir', 'sub', 'b'), 'utf8')).toBe('bb');
  });

  it('streams a background command to a file until stopped, then kills it', async () => {
    const sleep = uniqueSleep().replace(/sleep 9(\d+)\.5/, 'sleep 0.0$1');
    const dest = join(work, 'trace.log');
    const handle = await sup.trace(`echo start; while :; do echo tick >&2; ${sleep}; done`, dest);
    await new Promise((r) => setTimeout(r, 600));
    await handle.stop();
    const text = await readFile(dest, 'utf8');
    expect(text.startsWith('start\ntick\n')).toBe(true);
    expect(text).not.toContain('__ff_pgid__');
    expect(await waitFor(async () => (await pgrep(sleep)).length === 0)).toBe(true);
  });
});

describe('SshSupervisor connection loss', () => {
  const extra: SshSupervisor[] = [];
  /** Commands a dead connection could not kill: ended by the test (sshd no longer owns them). */
  const leftovers: string[] = [];

  /** Start a supervisor with `options` and run a long sleep on it; `pending` is its rejection. */
  async function execSleep(options: ConstructorParameters<typeof SshSupervisor>[0]) {
    const s = new SshSupervisor(options);
    extra.push(s);
    await s.start();
    const sleep = uniqueSleep();
    leftovers.push(sleep);
    const pending = rejectionOf(s.exec({ command: sleep }));
    expect(await waitFor(async () => (await pgrep(`^${sleep}`)).length === 1)).toBe(true);
    return { s, sleep, pending };
  }
  afterEach(async () => {
    await Promise.all(extra.splice(0).map((s) => s.stop()));
    for (const sleep of leftovers.splice(0)) await run('pkill', ['-f', `^${sleep}`]).catch(() => 0);
  });

  it('reconnects once after dropped connections', async () => {
    const s = new SshSupervisor({
      name: 'drop',
      target: new StaticTarget(await endpointFor(sshd)),
    });
    extra.push(s);
    await s.start();
    expect(await s.probe()).toBe(true);
    await sshd.dropConnections();
    expect(await waitFor(async () => !(await s.probe()))).toBe(true);
    const r = await s.exec({ command: 'echo back' });
    expect(r.exitCode).toBe(0);
    expect(await s.probe()).toBe(true);
  });

  /** A supervisor connected through sockets the test can cut, as a network failure would. */
  async function cuttable(name: string, dispatch?: 'channel') {
    const sockets: Socket[] = [];
    const endpoint = await endpointFor(sshd, {
      sock: async () => {
        const socket = connect(sshd.port, sshd.host);
        await once(socket, 'connect');
        sockets.push(socket);
        return socket;
      },
    });
    const s = new SshSupervisor({
      name,
      target: new StaticTarget(endpoint),
      ...(dispatch ? { dispatch } : {}),
    });
    extra.push(s);
    await s.start();
    const cut = () => {
      for (const socket of sockets) socket.destroy();
    };
    return { s, cut };
  }

  for (const dispatch of [undefined, 'channel'] as const) {
    it(`a closed connection kills the running command on the far end, no reconnect needed (${dispatch ?? 'persistent'})`, async () => {
      const { s, cut } = await cuttable('closed', dispatch);
      const sleep = uniqueSleep();
      leftovers.push(sleep);
      const pending = rejectionOf(s.exec({ command: `${sleep} & ${sleep}` }));
      expect(await waitFor(async () => (await pgrep(`^${sleep}`)).length === 2)).toBe(true);
      // sshd sees the connection close (as when ff is killed) and its session process ends;
      // the session watcher then kills the command's group.
      cut();
      expect(await pending).toBeInstanceOf(SupervisorDiedError);
      expect(await waitFor(async () => (await pgrep(`^${sleep}`)).length === 0, 5000)).toBe(true);
      expect(await waitFor(async () => (await pgrep('__ff_watch__')).length === 0, 5000)).toBe(
        true,
      );
    });
  }

  it('kills commands orphaned by a silently dropped connection once it reconnects', async () => {
    const { s, cut } = await cuttable('orphans');
    // The loop's parent is this connection's sshd session process. Stopping it makes the drop
    // silent: sshd cannot notice, so the far end keeps the command running, as after a
    // network failure without keepalives.
    const ppid = capture();
    await s.exec({ command: 'echo $PPID' }, ppid);
    const loop = ppid.stdout().trim();
    const stat = await readFile(`/proc/${loop}/stat`, 'utf8');
    const session = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    const sleep = uniqueSleep();
    leftovers.push(sleep);
    const pending = rejectionOf(s.exec({ command: `${sleep} & ${sleep}` }));
    // Only the sleeps themselves: the shells that start them pass through counts of 2 too.
    expect(await waitFor(async () => (await pgrep(`^${sleep}`)).length === 2)).toBe(true);
    process.kill(session, 'SIGSTOP');
    try {
      cut();
      expect(await pending).toBeInstanceOf(SupervisorDiedError);
      await new Promise((r) => setTimeout(r, 1500));
      expect((await pgrep(`^${sleep}`)).length).toBe(2);
      expect(await pgrep(` sh ${session} ${loop}$`)).toHaveLength(1); // its watcher waits
      expect((await s.exec({ command: 'true' })).exitCode).toBe(0);
      expect(await waitFor(async () => (await pgrep(`^${sleep}`)).length === 0)).toBe(true);
    } finally {
      process.kill(session, 'SIGCONT');
    }
    // Its watcher (`sh -c WATCH sh SESSION LOOP`) saw the session end, found nothing left to
    // kill, and exited.
    expect(
      await waitFor(async () => (await pgrep(` sh ${session} ${loop}$`)).length === 0, 5000),
    ).toBe(true);
  });

  it('rejects in-flight execs with SupervisorDiedError when the connection drops', async () => {
    const s = new SshSupervisor({
      name: 'no-reconnect',
      target: new StaticTarget(await endpointFor(sshd)),
      reconnect: false,
    });
    extra.push(s);
    await s.start();
    const pending = rejectionOf(s.exec({ command: 'sleep 30' }));
    await new Promise((r) => setTimeout(r, 300));
    await sshd.dropConnections();
    expect(await pending).toBeInstanceOf(SupervisorDiedError);
    await expect(s.exec({ command: 'true' })).rejects.toBeInstanceOf(SupervisorDiedError);
    expect(await s.probe()).toBe(false);
  });

  it('detects a silent (frozen) server by keepalive', async () => {
    const { s, pending } = await execSleep({
      name: 'frozen',
      target: new StaticTarget(await endpointFor(sshd)),
      keepaliveIntervalMs: 200,
      keepaliveCountMax: 2,
      reconnect: false,
    });
    const frozen = await sshd.descendants();
    const signal = (pid: number, name: NodeJS.Signals) => {
      try {
        process.kill(pid, name);
      } catch {
        // A short-lived helper process is gone already.
      }
    };
    for (const pid of frozen) signal(pid, 'SIGSTOP');
    try {
      const started = Date.now();
      expect(await pending).toBeInstanceOf(SupervisorDiedError);
      expect(Date.now() - started).toBeLessThan(3000);
      expect(await s.probe()).toBe(false);
    } finally {
      for (const pid of frozen) signal(pid, 'SIGCONT');
    }
  });

  it('rejects with the evidence when the target reports death', async () => {
    const target = new StaticTarget(await endpointFor(sshd));
    const { s, pending } = await execSleep({ name: 'panicky', target });
    target.events?.died('kernel panic', 'Kernel panic - not syncing');
    const error = await pending;
    expect(error).toBeInstanceOf(SupervisorDiedError);
    expect((error as SupervisorDiedError).evidence).toBe('Kernel panic - not syncing');
    expect(await s.probe()).toBe(false);
  });

  it("waits deathReportGraceMs after a dropped connection for the target's account", async () => {
    const target = new StaticTarget(await endpointFor(sshd));
    const { s, pending } = await execSleep({ name: 'graceful', target, deathReportGraceMs: 3000 });
    // The connection breaks first (as when a VM's kernel panics); the report follows later.
    await sshd.dropConnections();
    await new Promise((r) => setTimeout(r, 300));
    target.events?.died('kernel crash on the console', 'Kernel panic - not syncing');
    const error = await pending;
    expect(error).toBeInstanceOf(SupervisorDiedError);
    expect((error as SupervisorDiedError).message).toMatch(/kernel crash on the console/);
    expect((error as SupervisorDiedError).evidence).toBe('Kernel panic - not syncing');
  });

  it('without a report within the grace, a dropped connection is "ssh connection lost"', async () => {
    const target = new StaticTarget(await endpointFor(sshd));
    const { s, pending } = await execSleep({
      name: 'silent',
      target,
      deathReportGraceMs: 200,
      reconnect: false,
    });
    await sshd.dropConnections();
    const error = await pending;
    expect(error).toBeInstanceOf(SupervisorDiedError);
    expect((error as SupervisorDiedError).message).toMatch(/ssh connection lost/);
  });

  it('startTimeoutMs bounds a start even when the caller allows longer', async () => {
    const endpoint = await endpointFor(sshd, { port: 1, waitReadyMs: 60_000 });
    const s = new SshSupervisor({
      name: 'slow',
      target: new StaticTarget(endpoint),
      startTimeoutMs: 300,
    });
    const error = await rejectionOf(s.start({ timeoutMs: 30_000 }));
    expect(error).toBeInstanceOf(SupervisorStartTimeoutError);
    expect((error as SupervisorStartTimeoutError).timeoutMs).toBe(300);
    await s.stop();
  });

  it('a target that dies while starting fails the start at once with its evidence', async () => {
    const endpoint = await endpointFor(sshd);
    const dying: SshTarget = {
      async open(_signal, events) {
        setTimeout(() => events.died('QEMU exited', 'console: boot failed'), 100);
        // Readiness polling against a port nobody listens on would take the whole timeout.
        return { ...endpoint, port: 1, waitReadyMs: 60_000 };
      },
      async close() {},
    };
    const s = new SshSupervisor({ name: 'stillborn', target: dying });
    const t0 = Date.now();
    const error = await rejectionOf(s.start({ timeoutMs: 30_000 }));
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(error).toBeInstanceOf(SupervisorStartError);
    expect((error as Error).message).toMatch(/QEMU exited\nconsole: boot failed/);
    await s.stop();
  });

  it('stop closes the connection: no sshd child is left', async () => {
    const target = new StaticTarget(await endpointFor(sshd));
    const s = new SshSupervisor({ name: 'stopper', target });
    await s.start();
    expect((await sshd.descendants()).length).toBeGreaterThan(0);
    await sup.stop();
    await s.stop();
    expect(target.closes).toBe(1);
    expect(await waitFor(async () => (await sshd.descendants()).length === 0)).toBe(true);
    await sup.start();
  });
});

describe('SshSupervisor with a killed sshd', () => {
  it('probe turns false and exec rejects with SupervisorDiedError', async () => {
    const own = await startSshd();
    const s = new SshSupervisor({
      name: 'killed',
      target: new StaticTarget(await endpointFor(own)),
    });
    try {
      await s.start();
      const pending = rejectionOf(s.exec({ command: 'sleep 30' }));
      await new Promise((r) => setTimeout(r, 300));
      await own.stop();
      expect(await pending).toBeInstanceOf(SupervisorDiedError);
      expect(await s.probe()).toBe(false);
      await expect(s.exec({ command: 'true' })).rejects.toBeInstanceOf(SupervisorDiedError);
    } finally {
      await s.stop();
      await own.stop();
    }
  });
});
