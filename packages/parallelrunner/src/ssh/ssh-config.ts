import { homedir, userInfo } from 'node:os';
import { SshConfigError } from './errors.js';
import { matchPattern } from './known-hosts.js';

/** One `Host` block of an ssh_config file (lines before the first `Host` form a `*` block). */
export interface SshConfigBlock {
  /** Patterns of the `Host` line (`!` negates). Empty for a `Match` block, which never applies. */
  readonly patterns: readonly string[];
  /** Options, keyword lower-cased, values in file order. */
  readonly options: ReadonlyMap<string, readonly string[]>;
}

/** What ssh_config says about one host alias. */
export interface ResolvedSshHost {
  /** The alias that was looked up. */
  readonly alias: string;
  /** `HostName` (with `%h` expanded), default: the alias. */
  readonly hostName: string;
  /** `User`, when set. */
  readonly user?: string;
  /** `Port`, when set (the caller defaults to 22). */
  readonly port?: number;
  /** `IdentityFile`s with `~` and tokens expanded, in order. */
  readonly identityFiles: readonly string[];
  /** `ProxyJump` hops (`[user@]host[:port]`), empty when none. */
  readonly proxyJump: readonly string[];
  /** `UserKnownHostsFile`s with `~` and tokens expanded; empty when not set. */
  readonly userKnownHostsFiles: readonly string[];
  /** `StrictHostKeyChecking` (`yes`, `no`, `accept-new`, `ask`, `off`), lower-cased. */
  readonly strictHostKeyChecking?: string;
}

/** Keywords whose every occurrence counts; for the others the first value wins (as in ssh). */
const MULTI = new Set(['identityfile', 'certificatefile', 'localforward', 'remoteforward']);

function splitArgs(rest: string, where: string): string[] {
  const args: string[] = [];
  const re = /"([^"]*)"|(\S+)/g;
  for (const m of rest.matchAll(re)) args.push(m[1] ?? m[2] ?? '');
  if ((rest.match(/"/g)?.length ?? 0) % 2 !== 0) {
    throw new SshConfigError(`${where}: unbalanced quotes`);
  }
  return args;
}

/**
 * Parse ssh_config text into blocks. `Include` is not followed and `Match` blocks are kept but
 * never apply. Throws `SshConfigError` (naming `source` and the line) on a malformed line.
 */
export function parseSshConfig(text: string, source = 'ssh_config'): SshConfigBlock[] {
  const blocks: { patterns: string[]; options: Map<string, string[]> }[] = [
    { patterns: ['*'], options: new Map() },
  ];
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const where = `${source}:${index + 1}`;
    const m = /^(\S+?)(?:\s*=\s*|\s+)(.*)$/.exec(line);
    if (!m?.[1] || m[2] === undefined || m[2].trim() === '') {
      throw new SshConfigError(`${where}: expected "Keyword value", got "${line}"`);
    }
    const keyword = m[1].toLowerCase();
    const args = splitArgs(m[2], where);
    if (keyword === 'host') {
      blocks.push({ patterns: args, options: new Map() });
      return;
    }
    if (keyword === 'match') {
      blocks.push({ patterns: [], options: new Map() });
      return;
    }
    const block = blocks[blocks.length - 1];
    if (block === undefined) return;
    const values = block.options.get(keyword) ?? [];
    values.push(args.join(' '));
    block.options.set(keyword, values);
  });
  return blocks;
}

function blockApplies(block: SshConfigBlock, alias: string): boolean {
  let matched = false;
  for (const p of block.patterns) {
    if (p.startsWith('!')) {
      if (matchPattern(p.slice(1), alias)) return false;
    } else if (matchPattern(p, alias)) {
      matched = true;
    }
  }
  return matched;
}

/** Options for `resolveHost`. */
export interface ResolveHostOptions {
  /** Home directory for `~` and `%d`. Default: `os.homedir()`. */
  readonly home?: string;
  /** Local user name for `%u`. Default: `os.userInfo().username`. */
  readonly localUser?: string;
  /** Where the text came from, for error messages. Default: `ssh_config`. */
  readonly source?: string;
}

/**
 * Resolve `alias` against ssh_config text the way `ssh` does: every matching `Host` block in
 * file order, first value wins, `IdentityFile` accumulates. Handles `*`/`?`/`!` patterns,
 * `HostName` (`%h`), `User`, `Port`, `IdentityFile` (`~`, `%d`, `%u`, `%h`, `%r`, `%%`),
 * `ProxyJump` (one hop or a comma chain; `none`), `UserKnownHostsFile`, `StrictHostKeyChecking`.
 * No text means no config: the alias is the host name.
 */
export function resolveHost(
  alias: string,
  configText?: string,
  options: ResolveHostOptions = {},
): ResolvedSshHost {
  const source = options.source ?? 'ssh_config';
  const merged = new Map<string, string[]>();
  for (const block of parseSshConfig(configText ?? '', source)) {
    if (!blockApplies(block, alias)) continue;
    for (const [k, v] of block.options) {
      const had = merged.get(k);
      if (had === undefined) merged.set(k, [...v]);
      else if (MULTI.has(k)) had.push(...v);
    }
  }
  const first = (k: string) => merged.get(k)?.[0];
  const home = options.home ?? homedir();
  const localUser = options.localUser ?? userInfo().username;
  const hostName = (first('hostname') ?? alias).replaceAll('%h', alias);
  const user = first('user');
  const expand = (path: string) =>
    path.replace(/^~(?=\/|$)/, home).replace(/%(.)/g, (all, t: string) => {
      const tokens: Record<string, string> = { d: home, u: localUser, h: hostName, '%': '%' };
      if (user !== undefined) tokens.r = user;
      return tokens[t] ?? all;
    });
  const portText = first('port');
  const port = portText === undefined ? undefined : Number(portText);
  if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536)) {
    throw new SshConfigError(`${source}: Port for ${alias} is "${portText}", expected 1-65535`);
  }
  const jump = first('proxyjump');
  const strict = first('stricthostkeychecking')?.toLowerCase();
  return {
    alias,
    hostName,
    ...(user === undefined ? {} : { user }),
    ...(port === undefined ? {} : { port }),
    identityFiles: (merged.get('identityfile') ?? []).map(expand),
    proxyJump: jump === undefined || jump.toLowerCase() === 'none' ? [] : jump.split(','),
    userKnownHostsFiles: (first('userknownhostsfile')?.split(/\s+/) ?? []).map(expand),
    ...(strict === undefined ? {} : { strictHostKeyChecking: strict }),
  };
}
