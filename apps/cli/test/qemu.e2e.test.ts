/**
 * `ff` end to end on real QEMU VMs (TCG here): the test appliance booted by the QemuSupervisor,
 * and by the stand-in mkosi through the MkosiSupervisor.
 */
import type { ChildProcess } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ApplianceInfo } from '../../../packages/fstests/src/qemu/appliance.js';
import {
  makeConfigDir,
  processesMatching,
  standinMkosi,
} from '../../../packages/fstests/test/mkosi/standin.js';
import { ensureAppliance } from '../../../packages/fstests/test/support/appliance.js';
import { alive, childrenOf } from '../../../packages/fstests/test/support/processes.js';
import { type Sshd, startSshd } from '../../../packages/parallelrunner/test/ssh/support/sshd.js';
import { describeWith } from '../../../packages/parallelrunner/test/support/e2e.js';
import { ff } from './support/env.js';
import { expectWorkSpread } from './support/spread.js';

const describe = describeWith('qemu', 'sshd');

let app: ApplianceInfo;
let dir: string;

beforeAll(async () => {
  app = await ensureAppliance();
  dir = await mkdtemp(join(tmpdir(), 'ff-e2e-'));
}, 120_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Remember every child of `child` while it runs (for "nothing left behind" by PID). */
function trackChildren(child: ChildProcess, seen: Set<number>): void {
  const timer = setInterval(() => {
    if (child.pid !== undefined) for (const p of childrenOf(child.pid)) seen.add(p);
  }, 200);
  child.once('close', () => clearInterval(timer));
}

function qemuConfig(name: string, extra: string): string {
  return [
    `fstests = ${JSON.stringify(app.hostSuite)}`,
    '[qemu]',
    `kernel = ${JSON.stringify(app.kernel)}`,
    `initrd = ${JSON.stringify(app.initrd)}`,
    `ssh_key = ${JSON.stringify(app.privateKey)}`,
    'memory = 512',
    'timeout = 240',
    '[output]',
    `results_dir = ${JSON.stringify(join(dir, name, 'results'))}`,
    extra,
  ].join('\n');
}

async function writeConfig(name: string, text: string): Promise<string> {
  await mkdir(join(dir, name), { recursive: true });
  const path = join(dir, name, 'config.toml');
  await writeFile(path, text);
  return path;
}

describe('ff on QEMU VMs', () => {
  it('runs ~20 tests on 3 VMs: all start, every ready VM serves, statuses and artifacts are right, nothing left', async () => {
    const config = await writeConfig(
      'three',
      qemuConfig('three', '[test_runner]\nprobe_interval = 5'),
    );
    const seen = new Set<number>();
    const listed = await ff(['-g', 'auto,dmesg', '-i', '2', '--list'], {
      cwd: join(dir, 'three'),
      env: { FAST_FSTESTS_CONFIG_PATH: config, HOME: dir },
    });
    const selection = listed.stdout.trim().split('\n');
    expect(selection.length).toBeGreaterThanOrEqual(20);
    const r = await ff(['-g', 'auto,dmesg', '-i', '2', '--qemu.num', '3', '--junit', 'junit.xml'], {
      cwd: join(dir, 'three'),
      env: { FAST_FSTESTS_CONFIG_PATH: config, HOME: dir },
      onSpawn: (child) => trackChildren(child, seen),
    });
    expect(r.stderr).not.toMatch(/^ff: /m);
    expect(r.code).toBe(1); // the suite's auto group has failures by design
    const finished = [
      ...r.stdout.matchAll(/^\[[\d:]+\] (PASS|FAIL|SKIP|ERROR) +(\S+) \S+ on (qemu-\d)/gm),
    ];
    expect(finished.map((m) => m[2]).sort()).toEqual([...selection].sort());
    // Under TCG on two loaded cores one VM may boot after the others drained the queue.
    const results = join(dir, 'three', 'results');
    await expectWorkSpread(r.stdout, results, ['qemu-1', 'qemu-2', 'qemu-3']);
    const status = new Map(finished.map((m) => [m[2], m[1]]));
    expect(status.get('generic/001')).toBe('PASS');
    expect(status.get('generic/001~2')).toBe('PASS');
    expect(status.get('generic/004')).toBe('SKIP');
    expect(status.get('generic/003')).toBe('FAIL');
    expect(status.get('generic/902')).toBe('FAIL');
    expect(await readdir(join(results, 'latest', 'generic', '003', 'artifacts'))).toContain(
      '003.out.bad',
    );
    expect(await readFile(join(results, 'latest', 'generic', '902', 'dmesg'), 'utf8')).toMatch(
      /BUG: /,
    );
    expect((await readdir(join(results, 'consoles'))).sort()).toEqual([
      'qemu-1.log',
      'qemu-2.log',
      'qemu-3.log',
    ]);
    expect(seen.size).toBeGreaterThanOrEqual(3);
    for (const pid of seen) expect(alive(pid)).toBe(false);
  }, 600_000);

  it('a kernel panic costs a VM restart, not the run: rescheduled, then error with the console excerpt', async () => {
    const config = await writeConfig(
      'panic',
      qemuConfig('panic', '[test_runner]\nmax_supervisor_restarts = 2\nprobe_interval = 5'),
    );
    const r = await ff(
      ['generic/900', 'generic/001', 'generic/002', 'xfs/001', '--qemu.num', '2'],
      {
        cwd: join(dir, 'panic'),
        env: { FAST_FSTESTS_CONFIG_PATH: config, HOME: dir },
      },
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/generic\/900: rescheduled/);
    expect(r.stdout).toMatch(/ERROR +generic\/900 .*killed its supervisor 2 times/);
    // The Supervisors table counts both deaths (columns: name, tests, busy, use, died, ...).
    const died = [...r.stdout.matchAll(/^│ (qemu-\d) +│[^│]+│[^│]+│[^│]+│ (\d+) +│/gm)];
    const table = r.stdout.slice(r.stdout.lastIndexOf('Supervisors'));
    expect(died.map((m) => m[1]).sort(), table).toEqual(['qemu-1', 'qemu-2']);
    expect(died.reduce((n, m) => n + Number(m[2]), 0)).toBe(2);
    for (const t of ['generic/001', 'generic/002', 'xfs/001'])
      expect(r.stdout).toMatch(new RegExp(`PASS +${t} `));
    const result = JSON.parse(
      await readFile(
        join(dir, 'panic', 'results', 'latest', 'generic', '900', 'result.json'),
        'utf8',
      ),
    );
    expect(result.outcome).toBe('crashed');
    expect(result.crashEvidence).toMatch(/Kernel panic - not syncing/);
    const saved = await readFile(
      join(dir, 'panic', 'results', 'latest', 'generic', '900', 'crash-evidence'),
      'utf8',
    );
    expect(saved).toMatch(/Kernel panic - not syncing/);
  }, 600_000);

  it('times out a hanging test; the VM (booted from the root image by flags, two scratch drives, the default root=/dev/vda) keeps serving', async () => {
    const config = await writeConfig('hang', qemuConfig('hang', ''));
    const image = ['--qemu.image', app.rootImage, '--qemu.scratch-drives', '64M,64M'];
    const r = await ff(
      ['generic/901', 'generic/001', '--qemu.num', '1', '--test-timeout', '5', ...image],
      {
        cwd: join(dir, 'hang'),
        env: { FAST_FSTESTS_CONFIG_PATH: config, HOME: dir },
      },
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/ERROR +generic\/901 .*timed out/);
    expect(r.stdout).toMatch(/PASS +generic\/001 /);
    expect(r.stdout).not.toMatch(/qemu-1: died/);
    const consoleLog = await readFile(
      join(dir, 'hang', 'results', 'consoles', 'qemu-1.log'),
      'utf8',
    );
    expect(consoleLog).toContain('ff-appliance: init (root disk /dev/vda)');
  }, 600_000);

  it('SIGINT mid-run: exit 130, finished results saved, summary printed, no QEMU left', async () => {
    const config = await writeConfig('sigint', qemuConfig('sigint', ''));
    const seen = new Set<number>();
    let child: ChildProcess | undefined;
    let sent = false;
    const r = await ff(['generic/001', 'generic/901', '--qemu.num', '2'], {
      cwd: join(dir, 'sigint'),
      env: { FAST_FSTESTS_CONFIG_PATH: config, HOME: dir },
      onSpawn: (c) => {
        child = c;
        trackChildren(c, seen);
      },
      onStdout: (text) => {
        if (sent || !/PASS +generic\/001 /.test(text)) return;
        sent = true;
        setTimeout(() => child?.kill('SIGINT'), 2000);
      },
    });
    expect(sent).toBe(true);
    expect(r.code).toBe(130);
    expect(r.stdout).toMatch(/interrupted/);
    expect(r.stdout).toMatch(/Supervisors/);
    const saved = JSON.parse(
      await readFile(
        join(dir, 'sigint', 'results', 'latest', 'generic', '001', 'result.json'),
        'utf8',
      ),
    );
    expect(saved.status).toBe('pass');
    expect(seen.size).toBeGreaterThanOrEqual(2);
    for (const pid of seen) expect(alive(pid)).toBe(false);
  }, 600_000);

  it('SIGKILL of ff mid-test: its QEMU VMs die with it (lifeline) and their files go, nothing is left', async () => {
    const config = await writeConfig('sigkill', qemuConfig('sigkill', ''));
    const tmp = join(dir, 'sigkill', 'tmp');
    await mkdir(tmp);
    const seen = new Set<number>();
    let child: ChildProcess | undefined;
    let sent = false;
    const r = await ff(['generic/901', '--qemu.num', '2'], {
      cwd: join(dir, 'sigkill'),
      env: { FAST_FSTESTS_CONFIG_PATH: config, HOME: dir, TMPDIR: tmp },
      onSpawn: (c) => {
        child = c;
        trackChildren(c, seen);
      },
      onStdout: (text) => {
        if (sent || !/qemu-\d: ready after/.test(text)) return;
        sent = true;
        setTimeout(() => child?.kill('SIGKILL'), 1000);
      },
    });
    expect(sent).toBe(true);
    expect(r.signal).toBe('SIGKILL');
    expect(seen.size).toBeGreaterThanOrEqual(2);
    const vmDirs = async () => (await readdir(tmp)).filter((f) => f.startsWith('ff-qemu-'));
    expect(await vmDirs()).toHaveLength(2);
    // The lifeline TERMs each VM's group, waits 3 s, removes the VM's temp dir, then KILLs.
    const gone = async () => ![...seen].some(alive) && (await vmDirs()).length === 0;
    const deadline = Date.now() + 10_000;
    while (!(await gone()) && Date.now() < deadline) await new Promise((x) => setTimeout(x, 100));
    for (const pid of seen) expect(alive(pid)).toBe(false);
    expect(await vmDirs()).toEqual([]);
  }, 600_000);

  it('a VM that never becomes reachable times out clearly; the run goes on elsewhere', async () => {
    let sshd: Sshd | undefined;
    try {
      sshd = await startSshd();
      const tree = join(dir, 'unreachable', 'host-tree');
      await cp(app.hostSuite, tree, { recursive: true });
      const home = join(dir, 'unreachable', 'home');
      await mkdir(join(home, '.ssh'), { recursive: true });
      await writeFile(
        join(home, '.ssh', 'config'),
        `Host good\n  HostName 127.0.0.1\n  Port ${sshd.port}\n  User ${sshd.username}\n  IdentityFile ${sshd.userKeyPath}\n  UserKnownHostsFile ${sshd.knownHostsPath}\n`,
      );
      // `-S`: QEMU starts with its CPU stopped, so the guest never boots and never answers.
      const config = await writeConfig(
        'unreachable',
        qemuConfig('unreachable', '')
          .replace('timeout = 240', 'timeout = 8')
          .replace('[output]', 'extra_args = ["-S"]\n[output]'),
      );
      // The host is kept busy (a hanging test, killed after 20 s) past the VM's start timeout.
      const r = await ff(
        [
          'generic/901',
          'generic/001',
          '--qemu.num',
          '1',
          '--vms',
          `good:${tree}`,
          '--test-timeout',
          '20',
        ],
        {
          cwd: join(dir, 'unreachable'),
          env: { FAST_FSTESTS_CONFIG_PATH: config, HOME: home },
        },
      );
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/qemu-1: left the run: .*did not become ready within 8s/);
      expect(r.stdout).toMatch(/ERROR +generic\/901 .* on good .*timed out/);
      expect(r.stdout).toMatch(/PASS +generic\/001 .* on good/);
    } finally {
      await sshd?.stop();
    }
  }, 600_000);
});

describe("ff demo (the README quickstart's main job)", () => {
  it('builds the appliance, runs the suite on VMs and exits 0 when every test ends as intended', async () => {
    const cache = join(dir, 'demo-cache');
    const seen = new Set<number>();
    const r = await ff(['demo', '--vms', '2'], {
      cwd: dir,
      env: { XDG_CACHE_HOME: cache, HOME: dir },
      onSpawn: (child) => trackChildren(child, seen),
    });
    expect(r.stderr).toMatch(/demo: all 12 tests ended as the suite intends/);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/ERROR +generic\/900 .*killed its supervisor once/);
    for (const pid of seen) expect(alive(pid)).toBe(false);
  }, 600_000);
});

describe('ff on mkosi VMs (the stand-in mkosi boots the appliance with real QEMU)', () => {
  it('runs tests over the TCP port-forward transport and leaves no mkosi or QEMU behind', async () => {
    const configDir = await makeConfigDir(join(dir, 'mkosi', 'config'), app);
    const config = await writeConfig(
      'mkosi',
      [
        `fstests = ${JSON.stringify(app.hostSuite)}`,
        '[mkosi]',
        `config = ${JSON.stringify(configDir)}`,
        'timeout = 240',
        '[output]',
        `results_dir = ${JSON.stringify(join(dir, 'mkosi', 'results'))}`,
      ].join('\n'),
    );
    const seen = new Set<number>();
    const r = await ff(['generic/001', 'generic/004', '-n', '1', '-f'], {
      cwd: join(dir, 'mkosi'),
      env: {
        FAST_FSTESTS_CONFIG_PATH: config,
        HOME: dir,
        PATH: `${join(standinMkosi, '..')}:${process.env.PATH ?? '/usr/bin:/bin'}`,
      },
      onSpawn: (child) => trackChildren(child, seen),
    });
    expect(r.stderr, r.stderr).not.toMatch(/^ff: /m);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/PASS +generic\/001 .* on mkosi-1/);
    expect(r.stdout).toMatch(/SKIP +generic\/004 /);
    expect(seen.size).toBeGreaterThanOrEqual(1);
    for (const pid of seen) expect(alive(pid)).toBe(false);
    expect(processesMatching(configDir)).toEqual([]);
  }, 600_000);
});
