/** From the configuration to supervisors, through the registered supervisor kinds. */
import type { Config } from '../config/schema.js';
import { mkosiKind } from '../mkosi/kind.js';
import { qemuKind } from '../qemu/kind.js';
import {
  type KindPlanContext,
  type KindPrepareContext,
  type PlannedSupervisor,
  supervisorKinds,
} from './kinds.js';

export { hostSupervisors } from '../hosts/kind.js';

/** Options of `vmSupervisors` (the context every kind plans with). */
export type VmPlanOptions = KindPlanContext;

/** The supervisors of every registered kind, kind by kind in registration order. */
export function planSupervisors(config: Config, context: KindPlanContext): PlannedSupervisor[] {
  return supervisorKinds().flatMap((kind) => kind.plan(config, context));
}

/** Supervisors for the QEMU VMs of `[qemu]` and the mkosi VMs of `[mkosi]`. */
export function vmSupervisors(config: Config, options: VmPlanOptions): PlannedSupervisor[] {
  return [...qemuKind.plan(config, options), ...mkosiKind.plan(config, options)];
}

/** Run every configured kind's preparation (the mkosi image build) before anything starts. */
export async function prepareSupervisors(
  config: Config,
  context: KindPrepareContext,
): Promise<void> {
  for (const kind of supervisorKinds()) {
    if (kind.configured(config)) await kind.prepare?.(config, context);
  }
}
