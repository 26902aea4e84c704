// @ff/parallelrunner/ssh: the SSH supervisors, the target interface a supervisor over another
// transport (a VM, a container) implements, and the few helpers their users need. ssh_config
// parsing and known_hosts checks stay internal.
export { SshError, SshHostKeyError, SshConfigError } from './errors.js';
export type { HostKeyPolicy, SshEndpoint, SshTarget, SshTargetEvents } from './target.js';
export { SshSupervisor, type SshSupervisorOptions } from './ssh-supervisor.js';
export { SshHostSupervisor, type SshHostSupervisorOptions } from './ssh-host-supervisor.js';
export type { SshHostTargetOptions } from './ssh-host-target.js';
export { parseHostSpec, type HostSpec } from './host-spec.js';
export { privateKeyProblem } from './private-key.js';
export { shellQuote } from '../util/shell.js';
