/** What `ff doctor` checks for a configuration, beyond the machine itself. */
import { resolve } from 'node:path';
import { shellQuote } from '@ff/parallelrunner';
import type { Config } from '../config/schema.js';
import type { DoctorCheck, DoctorOptions } from '../doctor/types.js';
import { type PlannedSupervisor, hostSupervisors } from './supervisors.js';

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
            ...(q.append === undefined ? {} : { append: q.append }),
            scratchDrives: q.scratch_drives,
            extraArgs: q.extra_args,
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
 * verify its host key, run a command) within `timeoutMs` (default `[custom_vm] timeout`). The
 * hosts are checked at once, and each check ends within about twice the timeout whatever the
 * host does: a busy host is reported, never waited for.
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
  const timeoutMs = options.timeoutMs ?? config.custom_vm.timeout * 1000;
  checks.push(...(await Promise.all(hosts.map((host) => checkHost(host, timeoutMs)))));
  return checks;
}

const FIX_REACH =
  'check `ssh <host> true` works non-interactively (key, known_hosts, ~/.ssh/config); a busy host may need a longer [custom_vm] timeout (--host-timeout)';

/** One host: start (connect and run `true`), `test -x check`, stop; never longer than ~2x. */
async function checkHost(host: PlannedSupervisor, timeoutMs: number): Promise<DoctorCheck> {
  const { supervisor, fstestsDir } = host;
  const name = `host ${supervisor.name}`;
  const failed = (detail: string, fix: string): DoctorCheck => ({
    name,
    ok: false,
    required: true,
    detail,
    fix,
  });
  const check = async (): Promise<DoctorCheck> => {
    await supervisor.start({ timeoutMs });
    const r = await supervisor.exec(
      { command: `test -x ${shellQuote(`${fstestsDir}/check`)}` },
      { timeoutMs },
    );
    if (r.timedOut)
      return failed(
        `reachable, but \`test -x\` did not finish within ${timeoutMs / 1000}s`,
        FIX_REACH,
      );
    if (r.exitCode === 0) {
      return { name, ok: true, required: true, detail: `reachable, ${fstestsDir}/check present` };
    }
    return failed(
      `reachable, but ${fstestsDir}/check is missing or not executable`,
      `install fstests at ${fstestsDir} on ${supervisor.name} (make; local.config with TEST_DEV/SCRATCH_DEV)`,
    );
  };
  // Start and exec each end within the timeout; this bounds anything else (a stuck stop).
  const deadline = 2 * timeoutMs + STOP_GRACE_MS;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<DoctorCheck>((resolve) => {
    timer = setTimeout(
      () => resolve(failed(`no answer within ${Math.round(deadline / 1000)}s`, FIX_REACH)),
      deadline,
    );
  });
  try {
    return await Promise.race([
      check().catch((error: unknown) =>
        failed(error instanceof Error ? error.message : String(error), FIX_REACH),
      ),
      late,
    ]);
  } finally {
    clearTimeout(timer);
    await Promise.race([supervisor.stop().catch(() => undefined), delay(STOP_GRACE_MS)]);
  }
}

/** How long a host's stop may take (closing the connection, killing what still runs). */
const STOP_GRACE_MS = 10_000;

const delay = (ms: number) =>
  new Promise<void>((resolve) => {
    setTimeout(resolve, ms).unref();
  });
