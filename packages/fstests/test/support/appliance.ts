import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ApplianceInfo, buildAppliance } from '../../src/qemu/index.js';
import { childrenOf } from './processes.js';

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
  return childrenOf(process.pid, 'qemu-system');
}

export { alive } from './processes.js';
