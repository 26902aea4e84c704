import { ParallelRunnerError } from '../errors.js';

/** An SSH connection or channel failed (the cause carries the ssh2 or socket error). */
export class SshError extends ParallelRunnerError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_SSH', message, options);
  }
}

/**
 * The server's host key could not be verified: it is unknown (`reason: 'unknown'`), or it
 * differs from the one recorded in a known_hosts file (`reason: 'changed'`, with `file` and
 * `line` naming the entry).
 */
export class SshHostKeyError extends ParallelRunnerError {
  constructor(
    /** `unknown`: no entry for the host; `changed`: an entry with a different key. */
    readonly reason: 'unknown' | 'changed',
    message: string,
    /** The known_hosts file holding the conflicting entry (`changed`). */
    readonly file?: string,
    /** The 1-based line of that entry (`changed`). */
    readonly line?: number,
  ) {
    super('ERR_SSH_HOST_KEY', message);
  }
}

/** An ssh_config file or a host specification is invalid. */
export class SshConfigError extends ParallelRunnerError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_SSH_CONFIG', message, options);
  }
}
