/** The `host` supervisor kind: the existing hosts of `[custom_vm] vms`, over SSH. */
import { SshHostSupervisor } from '@ff/parallelrunner/ssh';
import type { Config } from '../config/schema.js';
import { type HostSpec, parseVms } from '../config/vms.js';
import type { PlannedSupervisor, SupervisorKind } from '../plan/kinds.js';
import { checkHost } from './check.js';

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

export const hostKind: SupervisorKind = {
  name: 'host',
  enabledBy: { key: '[custom_vm] vms', flag: '--vms' },
  configured: (config) => parseVms(config.custom_vm.vms).length > 0,
  plan: (config) => hostSupervisors(config),
  // Every host answers over SSH within `[custom_vm] timeout`; the hosts are checked at once.
  doctorChecks: async (config, options) => {
    const timeoutMs = options.timeoutMs ?? config.custom_vm.timeout * 1000;
    return Promise.all(hostSupervisors(config).map((host) => checkHost(host, timeoutMs)));
  },
};
