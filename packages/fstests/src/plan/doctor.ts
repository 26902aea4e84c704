/** What `ff doctor` checks for a configuration, beyond the machine itself. */
import { resolve } from 'node:path';
import { shellQuote } from '@ff/parallelrunner';
import type { Config } from '../config/schema.js';
import type { DoctorCheck, DoctorOptions } from '../doctor/types.js';
import { hostSupervisors } from './supervisors.js';

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
