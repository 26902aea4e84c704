export { SshError, SshHostKeyError, SshConfigError } from './errors.js';
export type { HostKeyPolicy, SshEndpoint, SshTarget, SshTargetEvents } from './target.js';
export { SshSupervisor, type SshSupervisorOptions } from './ssh-supervisor.js';
export { SshHostSupervisor, type SshHostSupervisorOptions } from './ssh-host-supervisor.js';
export { SshHostTarget, type SshHostTargetOptions } from './ssh-host-target.js';
export {
  parseSshConfig,
  resolveHost,
  type ResolveHostOptions,
  type ResolvedSshHost,
  type SshConfigBlock,
  type SshConfigCondition,
} from './ssh-config.js';
export { loadSshConfig, type LoadSshConfigOptions } from './ssh-config-include.js';
export type { SshMatchCriterion, SshMatchCriterionName } from './ssh-config-match.js';
export { parseHostSpec, parseHostPathSpec, type HostSpec } from './host-spec.js';
export {
  checkHostKey,
  fingerprint,
  knownHostsName,
  verifyHostKey,
  type HostKeyCheck,
} from './known-hosts.js';
export { privateKeyProblem } from './private-key.js';
export { shellQuote } from '../util/shell.js';
