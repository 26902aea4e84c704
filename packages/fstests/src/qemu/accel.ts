import { constants } from 'node:fs';
import { access, readdir } from 'node:fs/promises';
import { describeCause, raceAbort } from '@ff/parallelrunner';
import { QemuAccelError } from './errors.js';
import { exitWithin, spawnGroup, terminateGroup } from './process-group.js';

/** Acceleration setting: `auto` uses KVM only when a probe boot shows it works. */
export type AccelMode = 'auto' | 'kvm' | 'tcg';
/** The accelerator a VM actually uses. */
export type Accel = 'kvm' | 'tcg';

/** The outcome of `detectAccel`. */
export interface AccelChoice {
  /** The accelerator to use: `kvm` or `tcg`. */
  readonly accel: Accel;
  /** One line for the user when `auto` fell back to TCG (why, and that it is slow). */
  readonly notice?: string;
}

/** Options of `detectAccel`. */
export interface DetectAccelOptions {
  /** Stop waiting (reject with `signal.reason`) when this aborts; a started probe runs on. */
  readonly signal?: AbortSignal;
  /** Kernel to boot for the probe. Default: the newest `/boot/vmlinuz-*`. */
  readonly kernel?: string;
  /** Default `qemu-system-x86_64`. */
  readonly qemuBinary?: string;
  /** How long the probe boot may take under KVM. Default 5000 ms. */
  readonly probeTimeoutMs?: number;
  /** Default `/dev/kvm`. */
  readonly kvmDevice?: string;
}

/** A line the kernel prints once it has booted far enough to look for its root filesystem. */
const PROBE_DONE = /Kernel panic|VFS: Unable to mount root|Run \/init as init process/;

/** Probe results per QEMU binary + kernel, shared by every VM of this process. */
const cache = new Map<string, Promise<AccelChoice>>();

/** The newest kernel image in /boot, or undefined. */
export async function defaultKernel(): Promise<string | undefined> {
  const names = await readdir('/boot').catch(() => [] as string[]);
  const kernels = names.filter((n) => n.startsWith('vmlinuz-'));
  kernels.sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  const newest = kernels.at(-1);
  return newest === undefined ? undefined : `/boot/${newest}`;
}

async function kvmAccessible(device: string): Promise<string | undefined> {
  try {
    await access(device, constants.R_OK | constants.W_OK);
    return undefined;
  } catch (error) {
    return `${device} is not usable (${describeCause(error)})`;
  }
}

/**
 * Boot `kernel` without a root filesystem under KVM and wait for it to get as far as mounting
 * root (it then panics; `-no-reboot` makes QEMU exit). Resolves with why it failed, or
 * undefined when KVM works.
 */
async function probeKvm(
  binary: string,
  kernel: string,
  timeoutMs: number,
): Promise<string | undefined> {
  const args = ['-accel', 'kvm', '-cpu', 'host', '-m', '128', '-nodefaults', '-display', 'none'];
  args.push('-no-reboot', '-serial', 'stdio', '-kernel', kernel);
  args.push('-append', 'console=ttyS0 panic=-1 loglevel=4');
  const proc = await spawnGroup(binary, args);
  let output = '';
  const reached = new Promise<boolean>((resolve) => {
    const onData = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-4000);
      if (PROBE_DONE.test(output)) resolve(true);
    };
    proc.child.stdout?.on('data', onData);
    proc.child.stderr?.on('data', onData);
    void proc.exited.then(() => resolve(PROBE_DONE.test(output)));
  });
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  const ok = await Promise.race([reached, timedOut]);
  clearTimeout(timer);
  await terminateGroup(proc, 1000);
  if (ok) return undefined;
  const exit = await exitWithin(proc, 0);
  const lastLine = output.trim().split('\n').at(-1)?.trim();
  return exit && exit.code !== 0 && lastLine
    ? `a KVM probe boot failed: ${lastLine}`
    : `a KVM probe boot did not get through the kernel within ${timeoutMs / 1000}s`;
}

async function detectAuto(options: DetectAccelOptions): Promise<AccelChoice> {
  const fallback = (why: string): AccelChoice => ({
    accel: 'tcg',
    notice: `KVM not used: ${why}; using TCG (software emulation, much slower)`,
  });
  const unusable = await kvmAccessible(options.kvmDevice ?? '/dev/kvm');
  if (unusable) return fallback(unusable);
  const kernel = options.kernel ?? (await defaultKernel());
  if (kernel === undefined) return fallback('no kernel to probe KVM with');
  const why = await probeKvm(
    options.qemuBinary ?? 'qemu-system-x86_64',
    kernel,
    options.probeTimeoutMs ?? 5000,
  );
  return why ? fallback(why) : { accel: 'kvm' };
}

/**
 * Choose the accelerator. `tcg` and `kvm` are taken as given (`kvm` fails with
 * `QemuAccelError` when the device is not accessible); `auto` uses KVM only when the device is
 * accessible AND a short probe boot under KVM gets through the kernel, else TCG with a one-line
 * `notice`. The `auto` answer is cached per process (per QEMU binary and kernel); a probe that
 * was started keeps running to its own timeout when the caller's signal aborts.
 */
export async function detectAccel(
  mode: AccelMode,
  options: DetectAccelOptions = {},
): Promise<AccelChoice> {
  options.signal?.throwIfAborted();
  if (mode === 'tcg') return { accel: 'tcg' };
  if (mode === 'kvm') {
    const unusable = await kvmAccessible(options.kvmDevice ?? '/dev/kvm');
    if (unusable) throw new QemuAccelError(`accel = "kvm" but ${unusable}`);
    return { accel: 'kvm' };
  }
  const key = `${options.qemuBinary ?? ''}\0${options.kernel ?? ''}\0${options.kvmDevice ?? ''}`;
  let choice = cache.get(key);
  if (!choice) {
    choice = detectAuto(options);
    cache.set(key, choice);
    choice.catch(() => cache.delete(key));
  }
  return raceAbort(choice, options.signal);
}

/** Forget cached `auto` answers (for tests). */
export function clearAccelCache(): void {
  cache.clear();
}
