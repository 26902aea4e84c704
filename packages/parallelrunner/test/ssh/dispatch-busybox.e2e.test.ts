import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SshSupervisor } from '../../src/ssh/index.js';
import { describeWith } from '../support/e2e.js';
import { dispatcherLoops, exe } from './support/processes.js';
import { type Sshd, startSshd } from './support/sshd.js';
import { StaticTarget, endpointFor } from './support/target.js';
import { capture, pgrep, uniqueSleep, waitFor } from './support/wait.js';

const describe = describeWith('sshd', 'busybox');

/** The busybox binary, if installed. */
function findBusybox(): string | undefined {
  try {
    return (
      execFileSync('sh', ['-c', 'command -v busybox'], { encoding: 'utf8' }).trim() || undefined
    );
  } catch {
    return undefined;
  }
}

const busybox = findBusybox();
/** The applets the loop, the wrapper and these commands use; all from busybox. */
const APPLETS = ['sh', 'setsid', 'kill', 'printf', 'sleep', 'cat', 'tr', 'readlink', 'pwd'];

// The login shell still starts the loop (`exec sh -c ...`), but with PATH holding only busybox
// applets, the loop, `setsid` and every command shell are busybox: the QEMU appliance's setup.
describe('persistent dispatch under busybox sh', () => {
  let sshd: Sshd;
  let sup: SshSupervisor;
  let bin: string;

  beforeAll(async () => {
    bin = await mkdtemp(join(tmpdir(), 'ff-busybox-'));
    await Promise.all(APPLETS.map((a) => symlink(busybox ?? '', join(bin, a))));
    sshd = await startSshd({ config: [`SetEnv PATH=${bin}`] });
    sup = new SshSupervisor({ name: 'bb', target: new StaticTarget(await endpointFor(sshd)) });
    await sup.start({ timeoutMs: 15_000 });
  });

  afterAll(async () => {
    await sup?.stop();
    await sshd?.stop();
    await rm(bin, { recursive: true, force: true });
  });

  it('runs the loop and the commands in busybox sh, on one dispatcher', async () => {
    const outs = [];
    for (let i = 0; i < 10; i++) {
      const out = capture();
      expect((await sup.exec({ command: 'readlink /proc/$$/exe; echo $PPID' }, out)).exitCode).toBe(
        0,
      );
      outs.push(out.stdout());
    }
    const loops = await dispatcherLoops(sshd);
    expect(loops).toHaveLength(1);
    expect(await exe(loops[0] ?? 0)).toBe(busybox);
    expect(new Set(outs)).toEqual(new Set([`${busybox}\n${loops[0]}\n`]));
  });

  it('streams output, changes directory, exports the environment and reports the status', async () => {
    const out = capture();
    const r = await sup.exec(
      {
        command: 'echo out; echo err >&2; pwd; printf %s "$FOO"; exit 3',
        cwd: '/tmp',
        env: { FOO: "it's $HOME\nback\\slash" },
      },
      out,
    );
    expect(r).toMatchObject({ exitCode: 3, exitSignal: null, timedOut: false });
    expect(out.stdout()).toBe("out\n/tmp\nit's $HOME\nback\\slash");
    expect(out.stderr()).toBe('err\n');
  });

  it('reports death by signal', async () => {
    expect(await sup.exec({ command: 'kill -USR1 $$' })).toMatchObject({
      exitCode: null,
      exitSignal: 'SIGUSR1',
    });
  });

  it('kills the whole process group on timeout and keeps the dispatcher', async () => {
    const before = await dispatcherLoops(sshd);
    const sleep = uniqueSleep();
    const r = await sup.exec({ command: `${sleep} & ${sleep}` }, { timeoutMs: 400 });
    expect(r).toMatchObject({ timedOut: true, exitCode: null, exitSignal: 'SIGTERM' });
    expect(await waitFor(async () => (await pgrep(`^${sleep}`)).length === 0)).toBe(true);
    expect(await dispatcherLoops(sshd)).toEqual(before);
  });

  it('passes marker-like output through', async () => {
    const out = capture();
    const command = "printf '__ff_end_x__0:\\n'; printf '__ff_pgid__:3\\n__ff_end_' >&2";
    expect((await sup.exec({ command }, out)).exitCode).toBe(0);
    expect(out.stdout()).toBe('__ff_end_x__0:\n');
    expect(out.stderr()).toBe('__ff_pgid__:3\n__ff_end_');
  });
});
