import type { Duplex } from 'node:stream';

/** Host key policy of an `SshEndpoint`. */
export type HostKeyPolicy =
  /**
   * Verify against OpenSSH known_hosts files (plain, `[host]:port` and hashed entries). An
   * unknown key is an `SshHostKeyError` unless `acceptNew` (default false), which appends it to
   * the first file; a changed key is always an error.
   */
  | {
      readonly mode: 'known-hosts';
      readonly files: readonly string[];
      readonly acceptNew?: boolean;
    }
  /** Accept any key (ephemeral VMs with freshly generated host keys). */
  | { readonly mode: 'off' };

/** How to reach an SSH server, as returned by `SshTarget.open`. */
export interface SshEndpoint {
  /** Host name or address; also the name looked up in known_hosts. */
  readonly host: string;
  /** TCP port (also used for the known_hosts lookup when `sock` is given). */
  readonly port: number;
  /** The user to log in as. */
  readonly username: string;
  /** Private key (OpenSSH or PEM text). */
  readonly privateKey?: string | Buffer;
  /** Passphrase of `privateKey`, when it is encrypted. */
  readonly passphrase?: string;
  /** Path of an ssh-agent socket. */
  readonly agent?: string;
  /** A ready socket (e.g. socat's stdio for vsock, or a ProxyJump channel) instead of TCP. */
  readonly sock?: () => Promise<Duplex>;
  /** How the server's host key is verified. */
  readonly hostKey: HostKeyPolicy;
  /**
   * Keep trying connect + authenticate + `true`, with backoff, for this many milliseconds
   * (a VM that is still booting). Default: one try.
   */
  readonly waitReadyMs?: number;
}

/** Reports from a target about the far end (e.g. the VM's console showed a kernel panic). */
export interface SshTargetEvents {
  /** The far end died; in-flight commands fail with `SupervisorDiedError` carrying `evidence`. */
  died(reason: string, evidence?: string): void;
}

/** How to reach the far end; VM supervisors implement it (boot a VM, then say how to connect). */
export interface SshTarget {
  /** Bring the far end up (e.g. boot a VM) and return how to connect. Called on every start. */
  open(signal: AbortSignal, events: SshTargetEvents): Promise<SshEndpoint>;
  /** Tear the far end down. Idempotent; called on stop and after a failed start. */
  close(): Promise<void>;
}
