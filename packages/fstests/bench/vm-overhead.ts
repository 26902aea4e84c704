/**
 * Per-test overhead on a real VM: `tests` trivial tests on one QEMU VM through the Runner
 * (wall time per test minus the in-VM time of the test's command), versus an `ssh` client
 * process per command to the same VM (what the original tool does).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Runner } from '@ff/parallelrunner';
import { BENCH_BOOT_TIMEOUT_MS, type VmFleet, clocked, inVmNs, trivialTest } from './vm.js';

const run = promisify(execFile);

/** Result of `benchVmOverhead`; per-test figures in ms. */
export interface VmOverheadResult {
  readonly tests: number;
  /** The command each test runs in the VM (`true` between two reads of the guest clock). */
  readonly command: string;
  /** Through the Runner: wall time per test. */
  readonly runnerWallMs: number;
  /** Through the Runner: mean in-VM time of the command. */
  readonly runnerInVmMs: number;
  /** `runnerWallMs - runnerInVmMs`. */
  readonly runnerOverheadMs: number;
  /** One `ssh` client per command: wall time per command. */
  readonly sshWallMs: number;
  readonly sshInVmMs: number;
  /** `sshWallMs - sshInVmMs`. */
  readonly sshOverheadMs: number;
  /** `sshOverheadMs / runnerOverheadMs`. */
  readonly ratio: number;
  /** The `ssh` command line used per command (port of that boot). */
  readonly sshCommand: string;
}

const TEST_COMMAND = clocked('true');
const round = (n: number) => Math.round(n * 10) / 10;
const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

/** In-VM ms from one command's output; a command that printed no clock is an error. */
function inVmMs(stdout: string, what: string): number {
  const ns = inVmNs(stdout);
  if (ns === undefined) throw new Error(`${what}: no guest clock reading in output: ${stdout}`);
  return ns / 1e6;
}

/** `ssh` arguments reaching the VM on `port` with the appliance's key, for one command. */
function sshArgs(key: string, port: number, command: string): string[] {
  return [
    ...['-i', key, '-p', String(port), '-o', 'BatchMode=yes', '-o', 'LogLevel=ERROR'],
    ...['-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null'],
    ...['root@127.0.0.1', command],
  ];
}

/** `tests` commands (after one warm-up), each by a new `ssh` client; wall and in-VM ms each. */
async function sshPerCommand(key: string, port: number, tests: number, signal: AbortSignal) {
  const wall: number[] = [];
  const inVm: number[] = [];
  for (let i = 0; i <= tests; i++) {
    const started = performance.now();
    const { stdout } = await run('ssh', sshArgs(key, port, TEST_COMMAND), { signal });
    if (i === 0) continue;
    wall.push(performance.now() - started);
    inVm.push(inVmMs(stdout, `ssh command ${i}`));
  }
  return { wallMs: mean(wall), inVmMs: mean(inVm) };
}

/**
 * Boot one VM under a Runner (kept alive), run `tests + 1` clocked trivial tests on it (the
 * first one a warm-up, not counted: it opens the dispatcher), time from the warm-up's end to the
 * last test's end; then, on the same VM, the same command by `ssh` client per command.
 * Default 50 tests. The VM is stopped before this returns.
 */
export async function benchVmOverhead(
  fleet: VmFleet,
  tests = 50,
  signal: AbortSignal = new AbortController().signal,
): Promise<VmOverheadResult> {
  const supervisor = fleet.supervisor('overhead');
  const outputs = new Map<string, string>();
  const end = new AbortController();
  const runner = new Runner({
    supervisors: [supervisor],
    tests: Array.from({ length: tests + 1 }, (_, i) =>
      trivialTest(i, TEST_COMMAND, (out) => outputs.set(`bench/${i}`, out)),
    ),
    startTimeoutMs: BENCH_BOOT_TIMEOUT_MS,
    probeIntervalMs: 0,
    keepAlive: true,
    signal: AbortSignal.any([signal, end.signal]),
  });
  const finishedAt: number[] = [];
  let sshLoop: Promise<Awaited<ReturnType<typeof sshPerCommand>>> | undefined;
  let port: number | undefined;
  runner.on((event) => {
    if (event.type === 'supervisor:ready') fleet.remember(event.supervisor);
    if (event.type === 'test:finished') finishedAt.push(performance.now());
    if (event.type !== 'run:finished') return;
    port = supervisor.vm.sshPort;
    if (port === undefined) end.abort();
    else {
      sshLoop = sshPerCommand(fleet.app.privateKey, port, tests, signal);
      sshLoop.finally(() => end.abort()).catch(() => undefined);
    }
  });
  const summary = await runner.run();
  if (summary.counts.pass !== tests + 1) {
    throw new Error(`expected ${tests + 1} passing tests, got ${summary.counts.pass}`);
  }
  if (sshLoop === undefined) throw new Error('the VM was gone before the ssh client loop');
  const ssh = await sshLoop;
  const first = finishedAt[0] ?? 0;
  const last = finishedAt.at(-1) ?? 0;
  const runnerWallMs = (last - first) / tests;
  const runnerInVmMs = mean(
    [...outputs].filter(([id]) => id !== 'bench/0').map(([id, out]) => inVmMs(out, id)),
  );
  const runnerOverheadMs = runnerWallMs - runnerInVmMs;
  const sshOverheadMs = ssh.wallMs - ssh.inVmMs;
  return {
    tests,
    command: TEST_COMMAND,
    runnerWallMs: round(runnerWallMs),
    runnerInVmMs: round(runnerInVmMs),
    runnerOverheadMs: round(runnerOverheadMs),
    sshWallMs: round(ssh.wallMs),
    sshInVmMs: round(ssh.inVmMs),
    sshOverheadMs: round(sshOverheadMs),
    ratio: round(sshOverheadMs / runnerOverheadMs),
    sshCommand: `ssh ${sshArgs(fleet.app.privateKey, port ?? 0, "'<command>'").join(' ')}`,
  };
}
