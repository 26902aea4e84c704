/** What `ff doctor` checks for a configuration, beyond the machine itself. */
import { resolve } from 'node:path';
import type { Config } from '../config/schema.js';
import type { DoctorCheck, DoctorOptions } from '../doctor/types.js';
import { howToEnable, supervisorKinds } from './kinds.js';

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
 * and each registered kind's own checks (every host of `[custom_vm] vms` answers over SSH
 * within `timeoutMs`, default `[custom_vm] timeout`: a busy host is reported, never waited for).
 */
export async function supervisorChecks(
  config: Config,
  options: { timeoutMs?: number } = {},
): Promise<DoctorCheck[]> {
  const kinds = supervisorKinds();
  const checks: DoctorCheck[] = [];
  if (!kinds.some((k) => k.configured(config))) {
    const how = howToEnable();
    checks.push({
      name: 'supervisors',
      ok: false,
      required: true,
      detail: 'nothing to run tests on',
      fix: `set ${how.keys} in config.toml (or ${how.flags})`,
    });
  }
  const own = await Promise.all(kinds.map((k) => k.doctorChecks?.(config, options) ?? []));
  checks.push(...own.flat());
  return checks;
}
