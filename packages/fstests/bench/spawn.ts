/**
 * Parallel spawn: time from a Runner's start to the first test running with `vms` QEMU VMs,
 * versus one VM's boot alone (`QemuSupervisor.start()` to SSH ready). Parallel spawning should
 * make them nearly equal (ratio near 1).
 */
import { availableParallelism } from 'node:os';
import { Runner } from '@ff/parallelrunner';
import { BENCH_BOOT_TIMEOUT_MS, type VmFleet, cpuMs, trivialTest } from './vm.js';

/** Result of `benchParallelSpawn`; times in ms. */
export interface SpawnResult {
  readonly vms: number;
  /** One QemuSupervisor `start()` alone: boot to SSH ready. */
  readonly singleBootMs: number;
  /** Runner start to the first `test:started` event with `vms` VMs booting at once. */
  readonly firstTestMs: number;
  /** Runner start to each VM's `supervisor:ready` (in the order they got ready). */
  readonly readyMs: readonly number[];
  /** `firstTestMs / singleBootMs`: near 1 when VMs really spawn in parallel. */
  readonly ratio: number;
  /** CPU time QEMU used for the lone boot (user + system). */
  readonly singleBootCpuMs: number;
  /** CPU time each of the `vms` QEMUs had used when it got ready. */
  readonly readyCpuMs: readonly number[];
  /** Host CPUs (`os.availableParallelism()`). */
  readonly cpus: number;
  /**
   * The soonest `vms` boots can finish when boots are CPU-bound:
   * `max(singleBootMs, vms * singleBootCpuMs / cpus)`.
   */
  readonly cpuBoundMs: number;
}

/** Boot one VM alone and time it; the VM is stopped before this returns. */
async function singleBoot(fleet: VmFleet, signal: AbortSignal) {
  const s = fleet.supervisor('single');
  try {
    const started = performance.now();
    await s.start({ signal, timeoutMs: BENCH_BOOT_TIMEOUT_MS });
    const ms = Math.round(performance.now() - started);
    fleet.remember(s.name);
    const cpu = s.vm.pid === undefined ? undefined : await cpuMs(s.vm.pid);
    return { ms, cpuMs: cpu ?? 0 };
  } finally {
    await s.stop();
  }
}

/**
 * Run `2 * vms` trivial tests through a Runner over `vms` fresh VMs, kept alive until every VM
 * is ready (or failed) so that each one's boot is timed too; then stop them.
 */
async function runnerSpawn(fleet: VmFleet, vms: number, signal: AbortSignal) {
  const supervisors = Array.from({ length: vms }, (_, i) => fleet.supervisor(`vm-${i + 1}`));
  const end = new AbortController();
  const runner = new Runner({
    supervisors,
    tests: Array.from({ length: 2 * vms }, (_, i) => trivialTest(i)),
    startTimeoutMs: BENCH_BOOT_TIMEOUT_MS,
    probeIntervalMs: 0,
    keepAlive: true,
    signal: AbortSignal.any([signal, end.signal]),
  });
  let firstTestMs: number | undefined;
  const readyMs: number[] = [];
  const cpuReads: Promise<number | undefined>[] = [];
  const failures: string[] = [];
  let finished = false;
  const started = performance.now();
  runner.on((event) => {
    const at = Math.round(performance.now() - started);
    if (event.type === 'test:started') firstTestMs ??= at;
    if (event.type === 'supervisor:ready') {
      readyMs.push(at);
      fleet.remember(event.supervisor);
      const pid = supervisors.find((s) => s.name === event.supervisor)?.vm.pid;
      if (pid !== undefined) cpuReads.push(cpuMs(pid));
    }
    if (event.type === 'supervisor:failed')
      failures.push(`${event.supervisor}: ${event.error.message}`);
    if (event.type === 'run:finished') finished = true;
    if (finished && readyMs.length + failures.length === vms) end.abort();
  });
  const summary = await runner.run();
  if (failures.length > 0) throw new Error(`VMs failed to start:\n${failures.join('\n')}`);
  if (summary.counts.pass !== 2 * vms || firstTestMs === undefined) {
    throw new Error(`expected ${2 * vms} passing tests, got ${summary.counts.pass}`);
  }
  const readyCpuMs = (await Promise.all(cpuReads)).map((ms) => ms ?? 0);
  return { firstTestMs, readyMs, readyCpuMs };
}

/**
 * Time one VM boot alone, then a Runner over `vms` VMs (default 3) to its first running test.
 * Every VM is stopped before this returns.
 */
export async function benchParallelSpawn(
  fleet: VmFleet,
  vms = 3,
  signal: AbortSignal = new AbortController().signal,
): Promise<SpawnResult> {
  const single = await singleBoot(fleet, signal);
  const { firstTestMs, readyMs, readyCpuMs } = await runnerSpawn(fleet, vms, signal);
  const cpus = availableParallelism();
  return {
    vms,
    singleBootMs: single.ms,
    firstTestMs,
    readyMs,
    ratio: Math.round((firstTestMs / single.ms) * 100) / 100,
    singleBootCpuMs: single.cpuMs,
    readyCpuMs,
    cpus,
    cpuBoundMs: Math.round(Math.max(single.ms, (vms * single.cpuMs) / cpus)),
  };
}
