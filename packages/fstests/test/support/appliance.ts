import { readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ApplianceInfo, buildAppliance } from '../../src/qemu/index.js';

/** Where test runs cache the appliance: `FF_APPLIANCE_DIR`, else `<tmpdir>/ff-appliance`. */
export const applianceDir = process.env.FF_APPLIANCE_DIR ?? join(tmpdir(), 'ff-appliance');

let built: Promise<ApplianceInfo> | undefined;

/**
 * Build the test appliance once per process into `applianceDir` (build.sh skips the work when
 * nothing changed, and serializes parallel builds with a lock) and return its paths.
 */
export function ensureAppliance(): Promise<ApplianceInfo> {
  built ??= buildAppliance(applianceDir);
  return built;
}

/** PIDs of this process's children that are QEMU (to assert that none is left behind). */
export function qemuChildren(): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // pid (comm) state ppid ...: comm may contain spaces, so split after the last ')'.
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === process.pid && comm.startsWith('qemu-system')) pids.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return pids;
}

/** True when a process with this PID exists (and is not a zombie). */
export function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}
