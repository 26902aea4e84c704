import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { Runner } from '../src/runner/runner.js';
import { connectOnce } from '../src/ssh/connect.js';
import { SshHostSupervisor } from '../src/ssh/index.js';
import { runQuiet } from '../src/ssh/remote-command.js';
import type { Test } from '../src/test.js';
import { type Sshd, startSshd } from '../test/ssh/support/sshd.js';

const run = promisify(execFile);

/** Result of `benchSshDispatch`. Per-test figures are slot time: wall time × hosts / tests. */
export interface SshDispatchResult {
  readonly tests: number;
  readonly hosts: number;
  /** Through the Runner, `dispatch: 'persistent'`: commands on long-lived dispatcher loops. */
  readonly persistentMsPerTest: number;
  /** Through the Runner, `dispatch: 'channel'`: one exec channel per test. */
  readonly channelMsPerTest: number;
  /** One `ssh` client process (new connection, key exchange, auth) per test. */
  readonly clientMsPerTest: number;
  /** `clientMsPerTest / persistentMsPerTest`; the target is >= 3. */
  readonly ratio: number;
  /** `clientMsPerTest / channelMsPerTest`. */
  readonly channelRatio: number;
  /** A bare exec channel running `true` on an open connection: what sshd itself costs. */
  readonly channelFloorMsPerTest: number;
  /** 1-minute load average before and after the measurements. */
  readonly load: readonly [number, number];
}

type Dispatch = 'persistent' | 'channel';

function trivialTest(i: number): Test {
  return {
    id: `bench/${i}`,
    command: () => ({ command: 'true' }),
    evaluate: (r) => ({ status: r.exitCode === 0 ? 'pass' : 'fail', summary: '' }),
  };
}

function hostSupervisor(sshd: Sshd, i: number, dispatch: Dispatch): SshHostSupervisor {
  return new SshHostSupervisor({
    name: `host-${i}`,
    dispatch,
    host: `${sshd.username}@${sshd.host}:${sshd.port}`,
    sshConfigPath: '/dev/null',
    identityFiles: [sshd.userKeyPath],
    knownHostsFiles: [sshd.knownHostsPath],
    agent: '',
    keepaliveIntervalMs: 60_000,
  });
}

/** Run `count` jobs over `slots` workers pulling from one shared counter. */
async function pool(slots: number, count: number, job: (slot: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: slots }, async (_, slot) => {
      while (next < count) {
        next++;
        await job(slot);
      }
    }),
  );
}

const round = (n: number) => Math.round(n * 10) / 10;

/** Wall time of `job`, in ms. */
async function timed(job: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await job();
  return performance.now() - t0;
}

/** `count` bare exec channels running `true`, one connection per daemon, all in parallel. */
async function channelFloor(daemons: readonly Sshd[], count: number): Promise<number> {
  const signal = AbortSignal.timeout(30_000);
  const tuning = { keepaliveIntervalMs: 60_000, keepaliveCountMax: 3 };
  const clients = await Promise.all(
    daemons.map(async (d) =>
      connectOnce(
        {
          host: d.host,
          port: d.port,
          username: d.username,
          privateKey: await readFile(d.userKeyPath),
          hostKey: { mode: 'off' },
        },
        tuning,
        signal,
      ),
    ),
  );
  try {
    return await timed(() =>
      pool(clients.length, count, async (slot) => {
        const client = clients[slot];
        if (client) await runQuiet(client, 'true');
      }),
    );
  } finally {
    for (const c of clients) c.end();
  }
}

/** `count` `ssh` client processes running `true`, one slot per daemon. */
function clientPerCommand(daemons: readonly Sshd[], count: number): Promise<number> {
  return timed(() =>
    pool(daemons.length, count, async (slot) => {
      const d = daemons[slot];
      if (d === undefined) return;
      await run('ssh', [
        ...['-i', d.userKeyPath, '-p', String(d.port), '-o', 'BatchMode=yes'],
        ...['-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null'],
        ...['-o', 'LogLevel=ERROR', `${d.username}@127.0.0.1`, 'true'],
      ]);
    }),
  );
}

/**
 * Wall time of `tests` trivial tests through the Runner on one `SshHostSupervisor` per daemon
 * (connections opened before timing; dispatcher loops open during it, on first use).
 */
async function throughRunner(daemons: readonly Sshd[], tests: number, dispatch: Dispatch) {
  const supervisors = daemons.map((d, i) => hostSupervisor(d, i, dispatch));
  try {
    await Promise.all(supervisors.map((s) => s.start()));
    const runner = new Runner({
      supervisors,
      tests: Array.from({ length: tests }, (_, i) => trivialTest(i)),
      probeIntervalMs: 0,
    });
    let passed = 0;
    const ms = await timed(async () => {
      passed = (await runner.run()).counts.pass;
    });
    if (passed !== tests) throw new Error(`${dispatch}: expected ${tests} passes, got ${passed}`);
    return ms;
  } finally {
    await Promise.all(supervisors.map((s) => s.stop()));
  }
}

/**
 * Dispatch overhead over SSH: `tests` trivial tests (`true`) on `hosts` loopback sshd hosts
 * through the Runner with persistent dispatch and with a channel per command, versus an `ssh`
 * client process per command, `hosts` in parallel; plus bare exec channels as the floor that
 * sshd sets for a channel per command. Defaults: 500 tests, 4 hosts.
 */
export async function benchSshDispatch(tests = 500, hosts = 4): Promise<SshDispatchResult> {
  const daemons = await Promise.all(Array.from({ length: hosts }, () => startSshd()));
  try {
    const loadBefore = loadavg()[0] ?? 0;
    const persistentMs = await throughRunner(daemons, tests, 'persistent');
    const channelMs = await throughRunner(daemons, tests, 'channel');
    const floorMs = await channelFloor(daemons, tests);
    const clientMs = await clientPerCommand(daemons, tests);
    const perTest = (ms: number) => (ms * hosts) / tests;
    return {
      tests,
      hosts,
      persistentMsPerTest: round(perTest(persistentMs)),
      channelMsPerTest: round(perTest(channelMs)),
      clientMsPerTest: round(perTest(clientMs)),
      ratio: round(clientMs / persistentMs),
      channelRatio: round(clientMs / channelMs),
      channelFloorMsPerTest: round(perTest(floorMs)),
      load: [round(loadBefore), round(loadavg()[0] ?? 0)],
    };
  } finally {
    await Promise.all(daemons.map((d) => d.stop()));
  }
}

/** The report of `benchSshDispatch`, for people. */
export function formatSshDispatch(r: SshDispatchResult): string {
  return (
    `SSH dispatch, ${r.tests} trivial tests on ${r.hosts} loopback sshd ` +
    `(load average ${r.load[0]} before, ${r.load[1]} after):\n` +
    `  runner, persistent dispatch:  ${r.persistentMsPerTest} ms/test\n` +
    `  runner, channel per command:  ${r.channelMsPerTest} ms/test\n` +
    `  ssh client per command:       ${r.clientMsPerTest} ms/test\n` +
    `  client / persistent: ${r.ratio}x (target >= ${SSH_RATIO_TARGET}x: ${r.ratio >= SSH_RATIO_TARGET ? 'PASS' : 'MISS'})\n` +
    `  client / channel:    ${r.channelRatio}x\n` +
    `  floor of a channel per command, bare sshd exec channel: ${r.channelFloorMsPerTest} ms/test`
  );
}

/** Issue 4's target: at least this many times less overhead than an `ssh` client per command. */
export const SSH_RATIO_TARGET = 3;

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(formatSshDispatch(await benchSshDispatch()));
}
