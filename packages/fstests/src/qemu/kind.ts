/** The `qemu` supervisor kind: `[qemu] num` VMs booted from a kernel (and initrd or image). */
import { join, resolve } from 'node:path';
import type { Config } from '../config/schema.js';
import type { KindPlanContext, PlannedSupervisor, SupervisorKind } from '../plan/kinds.js';
import { requiredKey } from '../plan/required.js';
import { QemuSupervisor } from './qemu-supervisor.js';

function qemuSupervisors(config: Config, context: KindPlanContext): PlannedSupervisor[] {
  const q = config.qemu;
  if (q.num <= 0) return [];
  const at = (p: string) => resolve(context.baseDir, p);
  const kernel = at(
    requiredKey(q.kernel, 'qemu.kernel', 'a kernel image (bzImage) for the QEMU VMs'),
  );
  const sshKeyPath = at(
    requiredKey(q.ssh_key, 'qemu.ssh_key', 'the private key that logs in to the guests'),
  );
  // `[qemu] timeout` is the boot deadline: the VM waits that long for SSH, and starts within it.
  const startTimeoutMs = q.timeout * 1000;
  const out: PlannedSupervisor[] = [];
  for (let i = 1; i <= q.num; i++) {
    const name = `qemu-${i}`;
    const supervisor = new QemuSupervisor({
      name,
      kernel,
      ...(q.initrd === undefined ? {} : { initrd: at(q.initrd) }),
      ...(q.image === undefined ? {} : { image: at(q.image) }),
      ...(q.append === undefined ? {} : { append: q.append }),
      memoryMb: q.memory,
      cpus: q.cpus,
      accel: q.accel,
      scratchDrives: q.scratch_drives.map((size) => ({ size })),
      extraArgs: q.extra_args,
      sshKeyPath,
      consoleLogPath: join(context.consoleDir, `${name}.log`),
      waitReadyMs: startTimeoutMs,
      timeoutMs: startTimeoutMs,
      ...(context.onNotice === undefined ? {} : { onNotice: context.onNotice }),
    });
    out.push({ supervisor, fstestsDir: q.fstests, startTimeoutMs });
  }
  return out;
}

export const qemuKind: SupervisorKind = {
  name: 'qemu',
  enabledBy: { key: '[qemu] num', flag: '--qemu.num' },
  configured: (config) => config.qemu.num > 0,
  plan: qemuSupervisors,
};
