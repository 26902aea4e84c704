import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SupervisorDiedError } from '@ff/parallelrunner';
import { beforeAll, expect, it } from 'vitest';
import { describeWith } from '../../../parallelrunner/test/support/e2e.js';
import { buildMkosiImage } from '../../src/mkosi/build.js';
import { MkosiSupervisor, type MkosiSupervisorOptions } from '../../src/mkosi/mkosi-supervisor.js';
import { readMachineState } from '../../src/mkosi/state-file.js';
import type { ApplianceInfo } from '../../src/qemu/appliance.js';
import { reservePort } from '../../src/qemu/ports.js';
import { alive, ensureAppliance } from '../support/appliance.js';
import { groupMembers } from '../support/processes.js';
import { makeConfigDir, processesMatching, standinMkosi, standinSocat } from './standin.js';
import { useTempDir } from './temp-dir.js';

const describe = describeWith('qemu');

const tmp = useTempDir('ff-mkosi-e2e-');
let app: ApplianceInfo;
let configDir = '';
let env: NodeJS.ProcessEnv = {};

beforeAll(async () => {
  app = await ensureAppliance();
  configDir = await makeConfigDir(join(tmp.path(), 'config'), app);
  env = { XDG_RUNTIME_DIR: join(tmp.path(), 'run'), TMPDIR: tmp.path() };
  await buildMkosiImage({ configDir, mkosiPath: standinMkosi, env, options: [] });
}, 60_000);

function supervisor(extra: Partial<MkosiSupervisorOptions> = {}): MkosiSupervisor {
  return new MkosiSupervisor({
    name: 'mkosi-1',
    configDir,
    mkosiPath: standinMkosi,
    env,
    timeoutMs: 90_000,
    stopTimeoutMs: 5_000,
    consoleLogPath: join(tmp.path(), 'console.log'),
    ...extra,
  });
}

async function run(
  sup: MkosiSupervisor,
  command: string,
): Promise<{ code: number | null; out: string }> {
  let out = '';
  const r = await sup.exec(
    { command },
    {
      timeoutMs: 20_000,
      onStdout: (c) => {
        out += c.toString();
      },
    },
  );
  return { code: r.exitCode, out };
}

/** The pids a boot consists of: mkosi, and QEMU, which runs in mkosi's process group. */
function bootPids(sup: MkosiSupervisor): { mkosi: number; qemu: number; state: string } {
  const state = sup.target.statePath;
  const mkosi = sup.target.pid;
  if (!state || mkosi === undefined) throw new Error('not booted');
  const qemu = groupMembers(mkosi).find((pid) => processesMatching('qemu-system').includes(pid));
  if (qemu === undefined) throw new Error(`no QEMU in the process group of mkosi ${mkosi}`);
  return { mkosi, qemu, state };
}

function expectGone(pids: { mkosi: number; qemu: number; state: string }): void {
  expect(alive(pids.mkosi)).toBe(false);
  expect(alive(pids.qemu)).toBe(false);
  expect(existsSync(pids.state)).toBe(false);
  // Nothing of the stand-in's private copy (QEMU's -initrd lives under TMPDIR) is running.
  expect(processesMatching(tmp.path())).toEqual([]);
}

describe('MkosiSupervisor through the stand-in mkosi (real QEMU)', () => {
  it('TCP: boots, runs commands, sees a kernel panic, stops leaving no process', async () => {
    const sup = supervisor({ transport: 'tcp' });
    try {
      await sup.start();
      const pids = bootPids(sup);
      // As mkosi v26: no vsock device, no machine state file.
      expect(existsSync(pids.state)).toBe(false);
      const r = await run(sup, 'cat /etc/ff-appliance; echo "$(id -u)"');
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/^ff-appliance .*\n0\n$/);

      // The command that panics the kernel fails with the console excerpt as evidence.
      const error = await sup
        .exec({ command: 'echo c > /proc/sysrq-trigger' }, { timeoutMs: 20_000 })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SupervisorDiedError);
      expect((error as SupervisorDiedError).evidence).toMatch(/Kernel panic - not syncing/);
      expect(await sup.probe()).toBe(false);
      await sup.stop();
      expectGone(pids);
      expect(await readFile(join(tmp.path(), 'console.log'), 'utf8')).toMatch(/Linux version/);
    } finally {
      await sup.stop();
    }
  }, 120_000);

  it('vsock code path: CID from the state file, ssh2 over the proxy stdio', async () => {
    const port = await reservePort();
    const fakeDir = join(tmp.path(), 'vsock');
    await mkdir(fakeDir, { recursive: true });
    const sup = supervisor({
      name: 'mkosi-2',
      index: 2,
      transport: 'vsock',
      vsockCid: 'mkosi',
      proxyCommand: (cid, guestPort) => [standinSocat, '-', `VSOCK-CONNECT:${cid}:${guestPort}`],
      env: {
        ...env,
        FF_MKOSI_FAKE_VSOCK_DIR: fakeDir,
        FF_MKOSI_FAKE_VSOCK_PORT: String(port.port),
      },
    });
    try {
      await port.handOff();
      await sup.start();
      const pids = bootPids(sup);
      // The state file names mkosi itself (not QEMU) and carries the CID.
      const state = await readMachineState(pids.state);
      expect(state?.pid).toBe(pids.mkosi);
      expect(state?.proxyCommand).toMatch(/^socat - VSOCK-CONNECT:\d+:%p$/);
      const proxies = sup.target.proxyPids;
      expect(proxies.length).toBeGreaterThan(0);
      const r = await run(sup, 'hostname');
      expect(r).toEqual({ code: 0, out: 'ff-appliance\n' });
      await sup.stop();
      expectGone(pids);
      for (const pid of proxies) expect(alive(pid)).toBe(false);
    } finally {
      await sup.stop();
      await port.release();
    }
  }, 120_000);
});
