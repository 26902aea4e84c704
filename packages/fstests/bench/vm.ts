/**
 * What the VM benchmarks share: the prerequisites check, QemuSupervisors on the test appliance
 * that are all stopped on dispose and whose QEMU PIDs are remembered (to check by PID that none
 * is left), trivial tests, and an in-VM clock.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Test } from '@ff/parallelrunner';
import { type AccelChoice, defaultKernel, detectAccel } from '../src/qemu/accel.js';
import type { ApplianceInfo } from '../src/qemu/appliance.js';
import { QemuSupervisor } from '../src/qemu/qemu-supervisor.js';
import { alive, ensureAppliance, qemuChildren } from '../test/support/appliance.js';

const run = promisify(execFile);

/** How long one VM may take to boot to SSH in a benchmark (TCG on a loaded 2-core machine). */
export const BENCH_BOOT_TIMEOUT_MS = 300_000;

/** How long dispose waits for QEMU processes that outlive `stop()`. */
const LATE_EXIT_WAIT_MS = 15_000;

/** The VM benchmarks can run: the appliance is built and the accelerator chosen. */
export interface VmReady {
  readonly ok: true;
  readonly app: ApplianceInfo;
  readonly accel: AccelChoice;
  /** How long choosing the accelerator took (a KVM probe boot for `auto`), in ms. */
  readonly accelMs: number;
}

/** The VM benchmarks cannot run, and why. */
export interface VmMissing {
  readonly ok: false;
  readonly reason: string;
}

/**
 * Check for `qemu-system-x86_64` and a kernel in /boot, build (or reuse) the test appliance
 * and choose the accelerator once (`auto`; cached for the process, so no boot timed later pays
 * the probe).
 */
export async function prepareVms(signal?: AbortSignal): Promise<VmReady | VmMissing> {
  try {
    await run('qemu-system-x86_64', ['--version'], signal ? { signal } : {});
  } catch {
    return {
      ok: false,
      reason: 'qemu-system-x86_64 is not installed (apt-get install qemu-system-x86)',
    };
  }
  if ((await defaultKernel()) === undefined) {
    return {
      ok: false,
      reason: 'no kernel in /boot/vmlinuz-* (apt-get install linux-image-amd64)',
    };
  }
  let app: ApplianceInfo;
  try {
    app = await ensureAppliance();
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return { ok: false, reason: `the test appliance did not build: ${why}` };
  }
  const started = performance.now();
  const accel = await detectAccel('auto', { kernel: app.kernel, ...(signal ? { signal } : {}) });
  return { ok: true, app, accel, accelMs: Math.round(performance.now() - started) };
}

/**
 * The QemuSupervisors of a benchmark, on the appliance with 512 MiB each and `accel: 'auto'`,
 * console logs in a temp dir. Dispose stops every one and removes the dir.
 */
export class VmFleet implements AsyncDisposable {
  readonly #app: ApplianceInfo;
  readonly #dir: string;
  readonly #supervisors: QemuSupervisor[] = [];
  readonly #pids = new Set<number>();

  private constructor(app: ApplianceInfo, dir: string) {
    this.#app = app;
    this.#dir = dir;
  }

  /** A fleet with its own temp dir for console logs. */
  static async create(app: ApplianceInfo): Promise<VmFleet> {
    return new VmFleet(app, await mkdtemp(join(tmpdir(), 'ff-bench-vm-')));
  }

  /** The appliance the VMs boot. */
  get app(): ApplianceInfo {
    return this.#app;
  }

  /** A new supervisor named `name` (unique within the fleet), not started. */
  supervisor(name: string): QemuSupervisor {
    const s = new QemuSupervisor({
      name,
      kernel: this.#app.kernel,
      initrd: this.#app.initrd,
      append: this.#app.append,
      sshKeyPath: this.#app.privateKey,
      hostPublicKey: this.#app.hostPublicKey,
      memoryMb: 512,
      accel: 'auto',
      timeoutMs: BENCH_BOOT_TIMEOUT_MS,
      waitReadyMs: BENCH_BOOT_TIMEOUT_MS,
      consoleLogPath: join(this.#dir, `${name}.console.log`),
    });
    this.#supervisors.push(s);
    return s;
  }

  /** Remember the QEMU PID of the supervisor named `name` while its VM runs. */
  remember(name: string): void {
    const pid = this.#supervisors.find((s) => s.name === name)?.vm.pid;
    if (pid !== undefined) this.#pids.add(pid);
  }

  /** Every QEMU PID remembered so far. */
  get pids(): readonly number[] {
    return [...this.#pids];
  }

  /** Remembered PIDs still alive, plus any QEMU child of this process (none after dispose). */
  leftovers(): number[] {
    return [...new Set([...this.pids.filter(alive), ...qemuChildren()])];
  }

  /** The last `lines` lines of a VM's console log (for error messages). */
  async consoleTail(name: string, lines = 20): Promise<string> {
    const text = await readFile(join(this.#dir, `${name}.console.log`), 'utf8').catch(() => '');
    return text.split('\n').slice(-lines).join('\n');
  }

  /**
   * How long QEMU processes outlived `stop()` in the last dispose, in ms (0: none did). A
   * Runner cancelled while VMs boot has been seen to return, and `stop()` too, while QEMU
   * still shuts down; dispose waits up to `LATE_EXIT_WAIT_MS` for that and says so here.
   */
  lateExitMs = 0;

  async [Symbol.asyncDispose](): Promise<void> {
    for (const s of this.#supervisors) this.remember(s.name);
    await Promise.allSettled(this.#supervisors.map((s) => s.stop()));
    const stopped = performance.now();
    while (qemuChildren().length > 0 && performance.now() - stopped < LATE_EXIT_WAIT_MS) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    this.lateExitMs = qemuChildren().length > 0 ? 0 : Math.round(performance.now() - stopped);
    if (this.lateExitMs < 100) this.lateExitMs = 0;
    await rm(this.#dir, { recursive: true, force: true });
  }
}

/** A test `bench/<i>` running `command`; it passes when the command exits 0. */
export function trivialTest(i: number, command = 'true', onStdout?: (out: string) => void): Test {
  return {
    id: `bench/${i}`,
    command: () => ({ command }),
    evaluate: (r) => {
      onStdout?.(r.stdout);
      return { status: r.exitCode === 0 ? 'pass' : 'fail', summary: `exit ${String(r.exitCode)}` };
    },
  };
}

/**
 * A shell command that runs `inner` between two reads of the guest kernel's clock
 * (`/proc/timer_list`, ns; with shell built-ins only, so no process is started to read it) and
 * prints both; `inVmNs` reads the difference back from the output.
 */
export function clocked(inner: string): string {
  const now = (v: string) => `{ read -r _; read -r _; read -r ${v}; } < /proc/timer_list`;
  return `${now('s')}; ${inner}; ${now('e')}; echo "ff-clock $s | $e"`;
}

/** The in-VM time (ns) that a `clocked` command printed, or undefined when it printed none. */
export function inVmNs(stdout: string): number | undefined {
  const m = /ff-clock now at (\d+) nsecs \| now at (\d+) nsecs/.exec(stdout);
  if (!m) return undefined;
  return Number(BigInt(m[2] ?? '0') - BigInt(m[1] ?? '0'));
}

/** Clock ticks per second of `/proc/<pid>/stat` times (`getconf CLK_TCK`). */
let ticks: Promise<number> | undefined;

/**
 * CPU time (user + system, all threads) that process `pid` used so far, in ms; undefined when it
 * is gone.
 */
export async function cpuMs(pid: number): Promise<number | undefined> {
  ticks ??= run('getconf', ['CLK_TCK']).then(({ stdout }) => Number(stdout.trim()) || 100);
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  if (stat === undefined) return undefined;
  // Fields after "pid (comm) ": state ppid pgrp session tty tpgid flags minflt cminflt majflt
  // cmajflt utime stime ...
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const used = Number(fields[11]) + Number(fields[12]);
  return Math.round((used * 1000) / (await ticks));
}

/** The 1-minute load average and the rest of `/proc/loadavg`, as one line. */
export async function loadAverage(): Promise<string> {
  return (await readFile('/proc/loadavg', 'utf8')).trim();
}
