import { join } from 'node:path';
import {
  checkFstests,
  checkKey,
  checkKvm,
  checkMkosi,
  checkMkosiConfig,
  checkQemu,
  checkQemuImage,
  checkSocat,
  checkVhostVsock,
} from './checks.js';
import { checkDrives } from './drive-checks.js';
import { systemProbes } from './probes.js';
import type { DoctorCheck, DoctorOptions, DoctorProbes } from './types.js';

/**
 * Check what a run needs and say what to fix: QEMU, a usable KVM, the fstests checkout, and
 * for each configured supervisor its files (kernel/image, key) — for QEMU also the disks it
 * attaches and the kernel command line's root= — for mkosi also mkosi >= 26,
 * its config and built image, /dev/vhost-vsock and socat. With neither supervisor configured,
 * QEMU and KVM are still checked. Never throws for a failed check; the order is stable.
 */
export async function runDoctor(options: DoctorOptions = {}): Promise<DoctorCheck[]> {
  const p: DoctorProbes = { ...systemProbes, ...options.probes };
  const { signal, qemu, mkosi } = options;
  const checks: Promise<DoctorCheck | DoctorCheck[]>[] = [
    checkQemu(p, qemu?.binary ?? 'qemu-system-x86_64', signal),
    checkKvm(p, qemu?.accel ?? 'auto', signal),
    checkFstests(p, options.fstests),
  ];
  if (qemu) {
    checks.push(checkQemuImage(p, qemu));
    checks.push(Promise.resolve(checkDrives(qemu)));
    checks.push(
      qemu.sshKey
        ? checkKey(
            p,
            qemu.sshKey,
            'set [qemu] ssh_key to the private key whose public half the guest authorises',
          )
        : Promise.resolve({
            name: 'QEMU SSH key',
            ok: false,
            required: true,
            detail: '[qemu] ssh_key is not set',
            fix: 'set [qemu] ssh_key to the private key whose public half the guest authorises',
          }),
    );
  }
  if (mkosi) {
    const transport = mkosi.transport ?? 'auto';
    const vsock = await checkVhostVsock(p, transport === 'vsock');
    checks.push(checkMkosi(p, mkosi.mkosiPath ?? 'mkosi', signal));
    checks.push(checkMkosiConfig(p, mkosi.configDir, mkosi.build ?? false));
    if (mkosi.configDir) {
      const dir = mkosi.configDir;
      checks.push(checkKey(p, join(dir, 'mkosi.key'), `run \`mkosi genkey\` in ${dir}`));
    }
    checks.push(Promise.resolve(vsock));
    if (transport !== 'tcp') checks.push(checkSocat(p, transport === 'vsock' || vsock.ok, signal));
  }
  return (await Promise.all(checks)).flat();
}

/** True when every required check passed. */
export function doctorPassed(checks: readonly DoctorCheck[]): boolean {
  return checks.every((c) => c.ok || !c.required);
}
