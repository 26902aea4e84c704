import { SshConfigError } from './errors.js';

/** A parsed `[user@]host[:port]` (IPv6 as `[addr]` or `[addr]:port`). */
export interface HostSpec {
  /** The user before `@`, when given. */
  readonly user?: string;
  /** Host name, alias or address (IPv6 without its brackets). */
  readonly host: string;
  /** The port after `:`, when given. */
  readonly port?: number;
}

/** Parse `[user@]host[:port]`, e.g. `root@vm1:2222`, `[::1]:22`, `buildhost`. */
export function parseHostSpec(spec: string): HostSpec {
  const at = spec.lastIndexOf('@');
  const user = at >= 0 ? spec.slice(0, at) : undefined;
  const rest = at >= 0 ? spec.slice(at + 1) : spec;
  const m = /^(?:\[([^\]]+)\]|([^:[\]]+))(?::(\d+))?$/.exec(rest);
  const host = m?.[1] ?? m?.[2];
  if (!m || host === undefined || user === '') {
    throw new SshConfigError(
      `invalid host "${spec}": expected [user@]host[:port] (IPv6 as [addr]:port)`,
    );
  }
  const port = m[3] === undefined ? undefined : Number(m[3]);
  if (port !== undefined && !(port > 0 && port < 65536)) {
    throw new SshConfigError(`invalid host "${spec}": port ${m[3]} is not in 1-65535`);
  }
  return {
    ...(user === undefined ? {} : { user }),
    host,
    ...(port === undefined ? {} : { port }),
  };
}

/**
 * Split a `HOST:PATH` supervisor spec (`vm1:/var/lib/xfstests`,
 * `root@vm1:2222:/var/lib/xfstests`, `[::1]:22:/srv/fstests`) at the first `:/`. The path must
 * be absolute; the host part is validated with `parseHostSpec`.
 */
export function parseHostPathSpec(spec: string): { host: string; path: string } {
  const i = spec.indexOf(':/');
  if (i <= 0) {
    throw new SshConfigError(
      `invalid host spec "${spec}": expected HOST:/absolute/path (HOST is an ssh_config alias or [user@]host[:port])`,
    );
  }
  const host = spec.slice(0, i);
  parseHostSpec(host);
  return { host, path: spec.slice(i + 1) };
}
