/** From `[custom_vm]`, `[qemu]` and `[mkosi]` to supervisors. */
import { join, resolve } from 'node:path';
import type { Supervisor } from '@ff/parallelrunner';
import { SshHostSupervisor } from '@ff/parallelrunner/ssh';
import type { Config } from '../config/schema.js';
import { type HostSpec, parseVms } from '../config/vms.js';
import { ConfigError } from '../errors.js';
import { buildMkosiImage } from '../mkosi/build.js';
import { MkosiSupervisor } from '../mkosi/mkosi-supervisor.js';
import { QemuSupervisor } from '../qemu/qemu-supervisor.js';

/** One supervisor and where fstests lives on it. */
export interface PlannedSupervisor {
  /** The supervisor to hand to the runner. */
  readonly supervisor: Supervisor;
  /** The fstests directory on that supervisor. */
  readonly fstestsDir: string;
  /** How long this supervisor may take to start (VMs boot slowly under TCG). */
  readonly startTimeoutMs?: number;
}

/** Supervisors for the existing hosts of `[custom_vm] vms`, with unique names. */
export function hostSupervisors(config: Config): PlannedSupervisor[] {
  const specs = parseVms(config.custom_vm.vms);
  const seen = new Map<string, number>();
  return specs.map((spec) => {
    const base = hostName(spec);
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    const name = n === 1 ? base : `${base}#${n}`;
    const host = `${spec.user === undefined ? '' : `${spec.user}@`}${spec.host}${spec.port === undefined ? '' : `:${spec.port}`}`;
    const accept = config.custom_vm.accept_new_host_keys;
    const startTimeoutMs = config.custom_vm.timeout * 1000;
    const supervisor = new SshHostSupervisor({
      host,
      name,
      startTimeoutMs,
      ...(accept === undefined ? {} : { acceptNewHostKeys: accept }),
    });
    return { supervisor, fstestsDir: spec.path, startTimeoutMs };
  });
}

function hostName(spec: HostSpec): string {
  return spec.port === undefined ? spec.host : `${spec.host}:${spec.port}`;
}

/** Options of `vmSupervisors`. */
export interface VmPlanOptions {
  /** Directory relative paths in the configuration are resolved against. */
  readonly baseDir: string;
  /** Where each VM's serial console log goes (`<name>.log`). */
  readonly consoleDir: string;
  /** Receives one-line notices (e.g. KVM not usable, TCG used). */
  readonly onNotice?: (message: string) => void;
}

function required(value: string | undefined, keyPath: string, what: string): string {
  if (value === undefined || value === '') {
    throw new ConfigError('configuration', [{ keyPath, message: `missing: ${what}` }]);
  }
  return value;
}

/** Supervisors for the QEMU VMs of `[qemu]` and the mkosi VMs of `[mkosi]`. */
export function vmSupervisors(config: Config, options: VmPlanOptions): PlannedSupervisor[] {
  const out: PlannedSupervisor[] = [];
  const q = config.qemu;
  if (q.num > 0) {
    const kernel = resolve(
      options.baseDir,
      required(q.kernel, 'qemu.kernel', 'a kernel image (bzImage) for the QEMU VMs'),
    );
    const sshKeyPath = resolve(
      options.baseDir,
      required(q.ssh_key, 'qemu.ssh_key', 'the private key that logs in to the guests'),
    );
    for (let i = 1; i <= q.num; i++) {
      const name = `qemu-${i}`;
      const supervisor = new QemuSupervisor({
        name,
        kernel,
        ...(q.initrd === undefined ? {} : { initrd: resolve(options.baseDir, q.initrd) }),
        ...(q.image === undefined ? {} : { image: resolve(options.baseDir, q.image) }),
        ...(q.append === undefined ? {} : { append: q.append }),
        memoryMb: q.memory,
        cpus: q.cpus,
        accel: q.accel,
        scratchDrives: q.scratch_drives.map((size) => ({ size })),
        extraArgs: q.extra_args,
        sshKeyPath,
        consoleLogPath: join(options.consoleDir, `${name}.log`),
        waitReadyMs: q.timeout * 1000,
        timeoutMs: q.timeout * 1000,
        ...(options.onNotice === undefined ? {} : { onNotice: options.onNotice }),
      });
      out.push({ supervisor, fstestsDir: q.fstests, startTimeoutMs: q.timeout * 1000 });
    }
  }
  const m = config.mkosi;
  if (m.num > 0) {
    const configDir = resolve(
      options.baseDir,
      required(m.config, 'mkosi.config', 'the mkosi configuration directory'),
    );
    for (let i = 1; i <= m.num; i++) {
      const name = `mkosi-${i}`;
      const supervisor = new MkosiSupervisor({
        name,
        index: i,
        configDir,
        options: m.options,
        include: m.include,
        consoleLogPath: join(options.consoleDir, `${name}.log`),
        timeoutMs: m.timeout * 1000,
      });
      out.push({ supervisor, fstestsDir: m.fstests, startTimeoutMs: m.timeout * 1000 });
    }
  }
  return out;
}

/** Build the mkosi image once before VMs spawn, when `[mkosi] build` (or `-f`) asks for it. */
export async function prepareMkosi(
  config: Config,
  options: { baseDir: string; logPath?: string; force?: number; signal?: AbortSignal },
): Promise<void> {
  const m = config.mkosi;
  if (m.num === 0 || !m.build) return;
  await buildMkosiImage({
    configDir: resolve(
      options.baseDir,
      required(m.config, 'mkosi.config', 'the mkosi configuration directory'),
    ),
    options: m.options,
    include: m.include,
    force: options.force ?? 1,
    ...(options.logPath === undefined ? {} : { logPath: options.logPath }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
}
