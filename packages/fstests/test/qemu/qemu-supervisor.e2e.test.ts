import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SupervisorDiedError } from '@ff/parallelrunner';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWith } from '../../../parallelrunner/test/support/e2e.js';
import type { ApplianceInfo } from '../../src/qemu/appliance.js';
import { QemuExitedError } from '../../src/qemu/errors.js';
import { QemuSupervisor, type QemuSupervisorOptions } from '../../src/qemu/qemu-supervisor.js';
import { alive, ensureAppliance, qemuChildren } from '../support/appliance.js';

const describe = describeWith('qemu');

const BOOT_TIMEOUT_MS = 150_000;
let appliance: ApplianceInfo;
let dir: string;
const supervisors: QemuSupervisor[] = [];
const notices: string[] = [];

function vm(name: string, extra: Partial<QemuSupervisorOptions> = {}): QemuSupervisor {
  const supervisor = new QemuSupervisor({
    name,
    kernel: appliance.kernel,
    initrd: appliance.initrd,
    append: appliance.append,
    sshKeyPath: appliance.privateKey,
    hostPublicKey: appliance.hostPublicKey,
    memoryMb: 512,
    consoleLogPath: join(dir, `${name}.console.log`),
    onNotice: (m) => notices.push(m),
    ...extra,
  });
  supervisors.push(supervisor);
  return supervisor;
}

async function output(s: QemuSupervisor, command: string, timeoutMs?: number) {
  let stdout = '';
  const result = await s.exec(
    { command },
    {
      onStdout: (c) => {
        stdout += c.toString();
      },
      ...(timeoutMs ? { timeoutMs } : {}),
    },
  );
  return { ...result, stdout };
}

async function timed(s: QemuSupervisor): Promise<number> {
  const started = performance.now();
  await s.start({ timeoutMs: BOOT_TIMEOUT_MS });
  return Math.round(performance.now() - started);
}

beforeAll(async () => {
  appliance = await ensureAppliance();
  dir = await mkdtemp(join(tmpdir(), 'ff-qemu-test-'));
}, 60_000);

afterAll(async () => {
  await Promise.all(supervisors.map((s) => s.stop()));
  expect(qemuChildren()).toEqual([]);
  await rm(dir, { recursive: true, force: true });
}, 60_000);

describe('QemuSupervisor on the test appliance', () => {
  let a: QemuSupervisor;
  let b: QemuSupervisor;

  it(
    'boots two VMs in parallel on distinct ports; SSH, drives, console log and SFTP work',
    { timeout: BOOT_TIMEOUT_MS + 30_000 },
    async () => {
      a = vm('vm-a', { scratchDrives: [{ size: '1G' }, { size: '256M', serial: 'scratch' }] });
      b = vm('vm-b');
      const [msA, msB] = await Promise.all([timed(a), timed(b)]);
      console.log(
        `boot to SSH, two VMs in parallel (${notices[0] ?? 'accel as configured'}): ${msA} ms, ${msB} ms`,
      );
      expect(a.vm.sshPort).not.toBe(b.vm.sshPort);
      expect(a.vm.pid).not.toBe(b.vm.pid);
      expect(a.vm.drivePaths).toHaveLength(2);
      for (const path of a.vm.drivePaths) expect(existsSync(path)).toBe(true);

      const info = await output(
        a,
        'cat /etc/ff-appliance; cat /sys/block/vda/size /sys/block/vdb/size; hostname',
      );
      expect(info.exitCode).toBe(0);
      expect(info.stdout).toMatch(new RegExp(`^ff-appliance ${appliance.fingerprint}`));
      expect(info.stdout).toContain(
        `${1024 ** 3 / 512}\n${(256 * 1024 ** 2) / 512}\nff-appliance\n`,
      );

      // Whichever suite build.sh packed (the project's fixture tree, or appliance/suite), plus
      // the appliance-only tests: 001 passes, 902 leaves a BUG: line in the kernel log.
      const check = await output(a, 'cd /var/lib/xfstests && ./check generic/001 generic/902');
      expect(check.exitCode).toBe(1);
      expect(check.stdout).toMatch(/^FSTYP +-- /m);
      expect(check.stdout).toMatch(/^generic\/001\s+\d+s$/m);
      expect(check.stdout).toMatch(
        /^generic\/902\s+_check_dmesg: something found in dmesg \(see .*902\.dmesg\)$/m,
      );
      expect(check.stdout).toContain('Failed 1 of 2 tests');
      const dmesg = await output(a, 'dmesg | grep -c "BUG: ff-appliance test 902"');
      expect(dmesg.stdout).toBe('1\n');

      const remote = '/var/lib/xfstests/results/generic/902.dmesg';
      const collected = await a.collect([remote, '/nope'], dir);
      expect(collected.map((c) => c.remotePath)).toEqual([remote]);
      expect(await readFile(join(dir, '902.dmesg'), 'utf8')).toContain(
        'BUG: ff-appliance test 902',
      );

      const log = await readFile(join(dir, 'vm-a.console.log'), 'utf8');
      expect(log).toContain('ff-appliance: network up');
    },
  );

  it('kills a hanging test at its timeout and keeps serving', { timeout: 60_000 }, async () => {
    const hung = await output(a, 'cd /var/lib/xfstests && ./check generic/901', 3000);
    expect(hung.timedOut).toBe(true);
    expect(hung.stdout).toContain('generic/901');
    expect(await a.probe()).toBe(true);
    const leftover = await output(a, 'ps -o pid,args | grep -c "[t]ests/generic/901" || true');
    expect(leftover.stdout.trim()).toBe('0');
  });

  it(
    'reports a kernel panic at once with the console excerpt, then restarts afresh',
    { timeout: BOOT_TIMEOUT_MS + 60_000 },
    async () => {
      const pid = b.vm.pid ?? -1;
      const started = performance.now();
      const error = await b.exec({ command: 'cd /var/lib/xfstests && ./check generic/900' }).then(
        () => undefined,
        (e: unknown) => e,
      );
      const ms = Math.round(performance.now() - started);
      console.log(`panic detected after ${ms} ms`);
      expect(error).toBeInstanceOf(SupervisorDiedError);
      const died = error as SupervisorDiedError;
      expect(died.message).toMatch(
        /vm-b: kernel crash on the console: .*Kernel panic - not syncing/,
      );
      expect(died.evidence).toContain('sysrq triggered crash');
      expect(died.evidence?.split('\n').length).toBeGreaterThan(10);
      expect(ms).toBeLessThan(20_000);
      expect(await b.probe()).toBe(false);

      await b.stop();
      expect(alive(pid)).toBe(false);
      const msRestart = await timed(b);
      console.log(`restart to SSH: ${msRestart} ms`);
      expect(b.vm.pid).not.toBe(pid);
      expect((await output(b, 'echo ok')).stdout).toBe('ok\n');
    },
  );

  it(
    'stop leaves no QEMU process, drive file or temp dir behind',
    { timeout: 60_000 },
    async () => {
      const pids = [a.vm.pid, b.vm.pid];
      const drives = a.vm.drivePaths;
      expect(drives.length).toBe(2);
      await Promise.all([a.stop(), b.stop(), a.stop()]);
      for (const pid of pids) expect(pid !== undefined && alive(pid)).toBe(false);
      for (const path of drives) expect(existsSync(path)).toBe(false);
      expect(qemuChildren()).toEqual([]);
      expect(a.vm.pid).toBeUndefined();
    },
  );

  it(
    'a start aborted while the VM boots kills QEMU and removes its files',
    { timeout: 60_000 },
    async () => {
      const booting = vm('vm-abort', { scratchDrives: [{ size: '16M' }] });
      const controller = new AbortController();
      const starting = booting.start({ signal: controller.signal });
      while (booting.vm.pid === undefined) await new Promise((r) => setTimeout(r, 50));
      const pid = booting.vm.pid;
      const drives = booting.vm.drivePaths;
      expect(alive(pid)).toBe(true);
      controller.abort(new Error('user gave up'));
      await expect(starting).rejects.toThrow('user gave up');
      expect(alive(pid)).toBe(false);
      for (const path of drives) expect(existsSync(path)).toBe(false);
      expect(qemuChildren()).toEqual([]);
    },
  );

  it(
    "fails the start with QEMU's own message when QEMU exits at once",
    { timeout: 30_000 },
    async () => {
      const broken = vm('vm-broken', { extraArgs: ['-device', 'no-such-device'] });
      const error = await broken.start({ timeoutMs: 20_000 }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(QemuExitedError);
      expect((error as QemuExitedError).message).toMatch(
        /vm-broken: QEMU exited early \(code 1\):\n.*no-such-device/,
      );
      expect(qemuChildren()).toEqual([]);
    },
  );
});

describe('QemuSupervisor booting a root disk image', () => {
  it(
    'boots two VMs from one image (raw, and a qcow2 overlay of it) as ephemeral snapshots: each writes its own, no file changes',
    { timeout: BOOT_TIMEOUT_MS + 60_000 },
    async () => {
      const overlay = join(dir, 'rootfs-overlay.qcow2');
      execFileSync('qemu-img', [
        'create',
        '-q',
        '-f',
        'qcow2',
        '-F',
        'raw',
        '-b',
        appliance.rootImage,
        overlay,
      ]);
      const before = [await sha256(appliance.rootImage), await sha256(overlay)];
      const append = `${appliance.append} root=/dev/vda rw`;
      const a = vm('disk-a', { image: appliance.rootImage, append });
      const b = vm('disk-b', { image: overlay, append });
      await Promise.all([
        a.start({ timeoutMs: BOOT_TIMEOUT_MS }),
        b.start({ timeoutMs: BOOT_TIMEOUT_MS }),
      ]);

      for (const s of [a, b]) {
        const root = await output(s, "grep ' / ' /proc/mounts; cat /etc/ff-on-disk");
        expect(root.stdout).toMatch(/^\/dev\/vda \/ ext4 rw[, ]/m);
        expect(root.stdout).toContain('ff-appliance root disk');
      }
      expect((await output(a, 'echo a >/root/written-by-a && sync')).exitCode).toBe(0);
      expect((await output(b, 'test -e /root/written-by-a')).exitCode).toBe(1);
      const check = await output(b, 'cd /var/lib/xfstests && ./check generic/001');
      expect(check.stdout).toContain('Passed all 1 tests');
      const stored = await output(
        b,
        "grep -q '^generic/001 ' /var/lib/xfstests/results/check.time",
      );
      expect(stored.exitCode).toBe(0);

      const pids = [a.vm.pid, b.vm.pid];
      await Promise.all([a.stop(), b.stop()]);
      for (const pid of pids) expect(pid !== undefined && alive(pid)).toBe(false);
      expect([await sha256(appliance.rootImage), await sha256(overlay)]).toEqual(before);
      expect(qemuChildren()).toEqual([]);
    },
  );
});

async function sha256(path: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(path))
    .digest('hex');
}
