/**
 * From a validated configuration to the parts of a run: the selection options, the supervisors
 * and the runner options. The CLI wires these together; library users can do the same.
 */
import { join, resolve } from 'node:path';
import { type RunnerOptions, type Supervisor, shellQuote } from '@ff/parallelrunner';
import { SshHostSupervisor } from '@ff/parallelrunner/ssh';
import type { SelectionOptions } from './collect/collect.js';
import type { Config } from './config/schema.js';
import { type HostSpec, parseVms } from './config/vms.js';
import type { DoctorCheck, DoctorOptions } from './doctor/types.js';
import { ConfigError } from './errors.js';
import { buildMkosiImage } from './mkosi/build.js';
import { MkosiSupervisor } from './mkosi/mkosi-supervisor.js';
import { QemuSupervisor } from './qemu/qemu-supervisor.js';

/** The selection options `[test_selection]` asks for, paths resolved against `baseDir`. */
export function selectionFromConfig(config: Config, baseDir: string): SelectionOptions {
  const s = config.test_selection;
  return {
    tests: s.tests,
    groups: s.groups,
    excludeGroups: s.exclude_groups,
    excludeTests: s.exclude_tests,
    ...(s.exclude_tests_file === undefined
      ? {}
      : { excludeTestsFile: resolve(baseDir, s.exclude_tests_file) }),
    ...(s.file_system === undefined ? {} : { fileSystem: s.file_system }),
    sections: s.section,
    excludeSections: s.exclude_section,
    randomize: s.randomize,
    ...(s.seed === undefined ? {} : { seed: s.seed }),
    iterate: s.iterate,
    cwd: baseDir,
  };
}

/**
 * Follow the kernel log for the length of a test. util-linux's `dmesg -W` by absolute path
 * first: a busybox shell runs its own `dmesg` applet (which has no `-W`) for a bare `dmesg`.
 */
export const DMESG_FOLLOW =
  'if [ -x /usr/bin/dmesg ]; then exec /usr/bin/dmesg -W; else exec dmesg -W; fi';

/** The runner options `[test_runner]` asks for (durations in the file are seconds). */
export function runnerOptionsFromConfig(
  config: Config,
): Pick<
  RunnerOptions,
  | 'probeIntervalMs'
  | 'maxSupervisorRestarts'
  | 'retryFailures'
  | 'testTimeoutMs'
  | 'keepAlive'
  | 'traces'
> {
  const r = config.test_runner;
  const traces: { name: string; command: string }[] = [];
  if (r.dmesg) traces.push({ name: 'dmesg', command: DMESG_FOLLOW });
  if (r.bpftrace && r.bpftrace_script !== undefined) {
    traces.push({ name: 'bpftrace', command: `bpftrace ${shellQuote(r.bpftrace_script)}` });
  }
  return {
    probeIntervalMs: r.probe_interval * 1000,
    maxSupervisorRestarts: r.max_supervisor_restarts,
    retryFailures: r.retry_failures,
    ...(r.test_timeout === undefined ? {} : { testTimeoutMs: r.test_timeout * 1000 }),
    keepAlive: r.keep_alive,
    traces,
  };
}

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
    return { supervisor: new SshHostSupervisor({ host, name }), fstestsDir: spec.path };
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

/** What `runDoctor` should check for this configuration. */
export function doctorOptionsFromConfig(config: Config, baseDir: string): DoctorOptions {
  const at = (p: string | undefined) => (p === undefined ? undefined : resolve(baseDir, p));
  const q = config.qemu;
  const fstests = at(config.fstests);
  return {
    ...(fstests === undefined ? {} : { fstests }),
    ...(q.num > 0 || q.kernel !== undefined
      ? {
          qemu: {
            ...(q.kernel === undefined ? {} : { kernel: at(q.kernel) }),
            ...(q.initrd === undefined ? {} : { initrd: at(q.initrd) }),
            ...(q.image === undefined ? {} : { image: at(q.image) }),
            ...(q.ssh_key === undefined ? {} : { sshKey: at(q.ssh_key) }),
            accel: q.accel,
          },
        }
      : {}),
    ...(config.mkosi.num > 0 || config.mkosi.config !== undefined
      ? {
          mkosi: {
            ...(config.mkosi.config === undefined ? {} : { configDir: at(config.mkosi.config) }),
            build: config.mkosi.build,
          },
        }
      : {}),
  };
}

/**
 * Doctor checks that depend on the supervisors configured: that there is something to run on,
 * and that every existing host of `[custom_vm] vms` answers over SSH (connect, authenticate,
 * verify its host key, run `true`) within `timeoutMs` (default 15 s).
 */
export async function supervisorChecks(
  config: Config,
  options: { timeoutMs?: number } = {},
): Promise<DoctorCheck[]> {
  const hosts = hostSupervisors(config);
  const checks: DoctorCheck[] = [];
  if (hosts.length === 0 && config.qemu.num === 0 && config.mkosi.num === 0) {
    checks.push({
      name: 'supervisors',
      ok: false,
      required: true,
      detail: 'nothing to run tests on',
      fix: 'set [custom_vm] vms, [qemu] num or [mkosi] num in config.toml (or --vms, --qemu.num, -n)',
    });
  }
  const timeoutMs = options.timeoutMs ?? 15_000;
  for (const { supervisor, fstestsDir } of hosts) {
    try {
      await supervisor.start({ timeoutMs });
      const r = await supervisor.exec(
        { command: `test -x ${shellQuote(`${fstestsDir}/check`)}` },
        { timeoutMs },
      );
      checks.push(
        r.exitCode === 0
          ? {
              name: `host ${supervisor.name}`,
              ok: true,
              required: true,
              detail: `reachable, ${fstestsDir}/check present`,
            }
          : {
              name: `host ${supervisor.name}`,
              ok: false,
              required: true,
              detail: `reachable, but ${fstestsDir}/check is missing or not executable`,
              fix: `install fstests at ${fstestsDir} on ${supervisor.name} (make; local.config with TEST_DEV/SCRATCH_DEV)`,
            },
      );
    } catch (error) {
      checks.push({
        name: `host ${supervisor.name}`,
        ok: false,
        required: true,
        detail: error instanceof Error ? error.message : String(error),
        fix: 'check `ssh <host> true` works non-interactively (key, known_hosts, ~/.ssh/config)',
      });
    } finally {
      await supervisor.stop().catch(() => undefined);
    }
  }
  return checks;
}
