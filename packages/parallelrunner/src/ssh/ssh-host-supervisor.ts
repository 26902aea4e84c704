import { SshHostTarget, type SshHostTargetOptions } from './ssh-host-target.js';
import { SshSupervisor, type SshSupervisorOptions } from './ssh-supervisor.js';

/** Options of `SshHostSupervisor`: where to connect (see `SshHostTargetOptions`) and tuning. */
export interface SshHostSupervisorOptions extends SshHostTargetOptions {
  /** Supervisor name. Default: `host`. */
  readonly name?: string;
  /** Keepalive interval in milliseconds. Default 5000. */
  readonly keepaliveIntervalMs?: number;
  /** Unanswered keepalives before the connection counts as dropped. Default 3. */
  readonly keepaliveCountMax?: number;
  /** One reconnect attempt after a dropped connection. Default true. */
  readonly reconnect?: boolean;
  /** How commands reach the host (see `SshSupervisorOptions.dispatch`). Default `'persistent'`. */
  readonly dispatch?: SshSupervisorOptions['dispatch'];
  /** Most dispatcher channels per connection. Default 4. */
  readonly maxDispatchers?: number;
  /** Longest a start may take, whatever the caller allows (`SshSupervisorOptions`). */
  readonly startTimeoutMs?: number;
}

/**
 * An existing test host over SSH: honours ssh_config (HostName, User, Port, IdentityFile,
 * ProxyJump, UserKnownHostsFile, StrictHostKeyChecking), uses ssh-agent when present and
 * verifies host keys against known_hosts.
 */
export class SshHostSupervisor extends SshSupervisor {
  constructor(options: SshHostSupervisorOptions) {
    const {
      name,
      keepaliveIntervalMs,
      keepaliveCountMax,
      reconnect,
      dispatch,
      maxDispatchers,
      startTimeoutMs,
      ...target
    } = options;
    super({
      name: name ?? options.host,
      target: new SshHostTarget(target),
      ...(keepaliveIntervalMs === undefined ? {} : { keepaliveIntervalMs }),
      ...(keepaliveCountMax === undefined ? {} : { keepaliveCountMax }),
      ...(reconnect === undefined ? {} : { reconnect }),
      ...(dispatch === undefined ? {} : { dispatch }),
      ...(maxDispatchers === undefined ? {} : { maxDispatchers }),
      ...(startTimeoutMs === undefined ? {} : { startTimeoutMs }),
    });
  }
}
