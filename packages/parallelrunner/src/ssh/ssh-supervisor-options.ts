import type { SshTarget } from './target.js';

/** Options of `SshSupervisor`. */
export interface SshSupervisorOptions {
  /** Unique, human-readable name. */
  readonly name: string;
  /** The far end: brought up on every start, torn down on stop. */
  readonly target: SshTarget;
  /** Keepalive interval in milliseconds. Default 5000. */
  readonly keepaliveIntervalMs?: number;
  /** Unanswered keepalives before the connection counts as dropped. Default 3. */
  readonly keepaliveCountMax?: number;
  /**
   * Make one reconnect attempt (before the next exec) after the connection dropped, before
   * declaring the supervisor dead. Default true.
   */
  readonly reconnect?: boolean;
  /**
   * How commands reach the far end. `'persistent'`: a few long-lived exec channels per
   * connection each run a small POSIX sh loop that starts one command at a time, so a command
   * costs no new SSH session (sshd forks one and starts the login shell for every channel);
   * commands beyond `maxDispatchers`, or all of them when no loop can start, get channels of
   * their own. `'channel'`: an exec channel per command. Default `'persistent'`.
   */
  readonly dispatch?: 'persistent' | 'channel';
  /** Most dispatcher channels per connection with `dispatch: 'persistent'`. Default 4. */
  readonly maxDispatchers?: number;
  /**
   * When the connection drops, wait this long for the target's own account of the death (a
   * VM's console shows the panic a moment after SSH breaks) so the `SupervisorDiedError`
   * carries the cause and its evidence instead of "ssh connection lost". VM targets set it
   * (about 2000); hosts leave it at the default 0.
   */
  readonly deathReportGraceMs?: number;
  /**
   * The longest a start may take (for a VM: boot plus SSH readiness); a caller's shorter
   * `StartOptions.timeoutMs` wins. Default: only the caller's timeout.
   */
  readonly startTimeoutMs?: number;
}
