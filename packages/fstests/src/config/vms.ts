/** Parsing `--vms` / `[custom_vm] vms`: existing hosts as `HOST:PATH`. */
import { VmsError } from '../errors.js';

/** One existing host. */
export interface HostSpec {
  /** The entry as written: `user@host:2222:/var/lib/xfstests`. */
  readonly entry: string;
  /** An ssh alias or host name (`vm1`, `10.0.0.5`, `[::1]` without brackets). */
  readonly host: string;
  /** `USER@`: the login name. Default: `User` from `~/.ssh/config`, else the local user. */
  readonly user?: string;
  /** `:PORT`: the ssh port. Default: `Port` from `~/.ssh/config`, else 22. */
  readonly port?: number;
  /** The fstests directory on the host (absolute). */
  readonly path: string;
}

const HOST = /^[A-Za-z0-9._-]+$/;
const USER = /^[A-Za-z0-9._-]+$/;

/**
 * Parse a comma-separated list (or several lists) of `[USER@]HOST[:PORT]:PATH` entries.
 * IPv6 hosts are written in brackets: `[::1]:22:/path`. Throws `VmsError` naming the
 * offending entry and the expected form.
 */
export function parseVms(input: string | readonly string[]): HostSpec[] {
  const lists = typeof input === 'string' ? [input] : input;
  const entries = lists
    .flatMap((l) => l.split(','))
    .map((e) => e.trim())
    .filter((e) => e !== '');
  return entries.map(parseEntry);
}

function parseEntry(entry: string): HostSpec {
  const at = entry.indexOf('@');
  const user = at === -1 ? undefined : entry.slice(0, at);
  if (user !== undefined && !USER.test(user)) throw new VmsError(entry, 'invalid user name');
  const rest = at === -1 ? entry : entry.slice(at + 1);
  let host: string;
  let afterHost: string;
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    if (close === -1) throw new VmsError(entry, 'unterminated [IPv6] host');
    host = rest.slice(1, close);
    afterHost = rest.slice(close + 1);
    if (!/^[0-9A-Fa-f:.]+$/.test(host)) throw new VmsError(entry, 'invalid IPv6 address');
  } else {
    const colon = rest.indexOf(':');
    if (colon === -1) throw new VmsError(entry, 'missing ":PATH"');
    host = rest.slice(0, colon);
    afterHost = rest.slice(colon);
    if (!HOST.test(host)) throw new VmsError(entry, 'invalid host name');
  }
  if (!afterHost.startsWith(':')) throw new VmsError(entry, 'missing ":PATH"');
  let path = afterHost.slice(1);
  let port: number | undefined;
  const portMatch = /^([0-9]+):(.*)$/.exec(path);
  if (portMatch) {
    port = Number(portMatch[1]);
    path = portMatch[2] ?? '';
    if (port < 1 || port > 65535) throw new VmsError(entry, `port ${port} out of range`);
  }
  if (!path.startsWith('/')) throw new VmsError(entry, 'PATH must be absolute');
  if (/[\0\n]/.test(path)) throw new VmsError(entry, 'PATH contains a control character');
  const spec: HostSpec = { entry, host, path };
  return {
    ...spec,
    ...(user === undefined ? {} : { user }),
    ...(port === undefined ? {} : { port }),
  };
}
