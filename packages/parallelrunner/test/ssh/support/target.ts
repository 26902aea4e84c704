import { readFile } from 'node:fs/promises';
import type { SshEndpoint, SshTarget, SshTargetEvents } from '../../../src/ssh/index.js';
import type { Sshd } from './sshd.js';

/** An endpoint for the test sshd: its user key and known_hosts file. */
export async function endpointFor(
  sshd: Sshd,
  overrides: Partial<SshEndpoint> = {},
): Promise<SshEndpoint> {
  return {
    host: sshd.host,
    port: sshd.port,
    username: sshd.username,
    privateKey: await readFile(sshd.userKeyPath),
    hostKey: { mode: 'known-hosts', files: [sshd.knownHostsPath] },
    ...overrides,
  };
}

/** A target that is always up at `endpoint`; `events` exposes the supervisor's callbacks. */
export class StaticTarget implements SshTarget {
  events: SshTargetEvents | undefined;
  opens = 0;
  closes = 0;
  constructor(readonly endpoint: SshEndpoint) {}
  async open(_signal: AbortSignal, events: SshTargetEvents): Promise<SshEndpoint> {
    this.opens++;
    this.events = events;
    return this.endpoint;
  }
  async close(): Promise<void> {
    this.closes++;
  }
}
