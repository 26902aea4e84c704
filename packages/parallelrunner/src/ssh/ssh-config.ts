import { homedir, userInfo } from 'node:os';
import { SshConfigError } from './errors.js';
import { type SshMatchCriterion, mergeSshConfig, parseMatch } from './ssh-config-match.js';

/** The line that opens a block: a `Host` line, or a `Match` line. */
export type SshConfigCondition =
  | {
      readonly kind: 'host';
      /** Patterns of the `Host` line (`*`, `?`; `!` negates). */
      readonly patterns: readonly string[];
    }
  | {
      readonly kind: 'match';
      /** The criteria of the `Match` line, all of which must hold. */
      readonly criteria: readonly SshMatchCriterion[];
    };

/**
 * One block of ssh_config: the options under one `Host` or `Match` line in one file. Lines
 * before a file's first `Host`/`Match` form a `Host *` block; the lines after an `Include`
 * continue the including block in a new block with the same `condition` object.
 */
export interface SshConfigBlock {
  /** The `Host` or `Match` line the block is under. */
  readonly condition: SshConfigCondition;
  /**
   * Conditions of the blocks whose `Include` lines led to this file, outermost first; all of
   * them must apply too. Empty for the top file.
   */
  readonly within: readonly SshConfigCondition[];
  /** The file the block comes from (or the `source` given to the parser). */
  readonly source: string;
  /** Options, keyword lower-cased, values in file order. */
  readonly options: ReadonlyMap<string, readonly string[]>;
  /** The 1-based line of every value in `options`, in the same order. */
  readonly lines: ReadonlyMap<string, readonly number[]>;
}

/** What ssh_config says about one host alias. */
export interface ResolvedSshHost {
  /** The alias that was looked up. */
  readonly alias: string;
  /** `HostName` (with `%h` expanded), default: the alias. */
  readonly hostName: string;
  /** `ResolveHostOptions.user`, else `User`, when set. */
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

/** An `Include` line met by `parseSshConfigItems` (followed by `loadSshConfig`). */
export interface SshConfigInclude {
  /** The paths (patterns) as written. */
  readonly paths: readonly string[];
  /** `file:line` of the `Include` line. */
  readonly where: string;
  /** What the included blocks are `within`: the current block's and its own `within`. */
  readonly within: readonly SshConfigCondition[];
}

function splitArgs(rest: string, where: string): string[] {
  const args: string[] = [];
  const re = /"([^"]*)"|(\S+)/g;
  for (const m of rest.matchAll(re)) args.push(m[1] ?? m[2] ?? '');
  if ((rest.match(/"/g)?.length ?? 0) % 2 !== 0) {
    throw new SshConfigError(`${where}: unbalanced quotes`);
  }
  return args;
}

interface BlockBuilder extends SshConfigBlock {
  readonly options: Map<string, string[]>;
  readonly lines: Map<string, number[]>;
}

/**
 * Parse ssh_config text into blocks and `Include` lines, in file order. `within` is given to
 * every block (the conditions an including file imposes). Throws `SshConfigError` naming
 * `source:line` for a malformed line or `Match` line.
 */
export function parseSshConfigItems(
  text: string,
  source: string,
  within: readonly SshConfigCondition[] = [],
): (SshConfigBlock | SshConfigInclude)[] {
  let condition: SshConfigCondition = { kind: 'host', patterns: ['*'] };
  const open = (): BlockBuilder => ({
    condition,
    within,
    source,
    options: new Map(),
    lines: new Map(),
  });
  let block: BlockBuilder | undefined = open();
  const items: (SshConfigBlock | SshConfigInclude)[] = [block];
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
    if (keyword === 'host' || keyword === 'match') {
      condition =
        keyword === 'host'
          ? { kind: 'host', patterns: args }
          : { kind: 'match', criteria: parseMatch(args, where) };
      block = open();
      items.push(block);
      return;
    }
    if (keyword === 'include') {
      items.push({ paths: args, where, within: [...within, condition] });
      block = undefined;
      return;
    }
    if (block === undefined) {
      block = open();
      items.push(block);
    }
    block.options.set(keyword, [...(block.options.get(keyword) ?? []), args.join(' ')]);
    block.lines.set(keyword, [...(block.lines.get(keyword) ?? []), index + 1]);
  });
  return items;
}

/**
 * Parse ssh_config text into blocks (see `SshConfigBlock`). `Include` lines are not followed
 * here (use `loadSshConfig`). Throws `SshConfigError` (naming `source` and the line) on a
 * malformed line or `Match` line. `source` defaults to `ssh_config`.
 */
export function parseSshConfig(text: string, source = 'ssh_config'): SshConfigBlock[] {
  return parseSshConfigItems(text, source).filter((i): i is SshConfigBlock => 'options' in i);
}

/** Options for `resolveHost`. */
export interface ResolveHostOptions {
  /** Home directory for `~` and `%d`. Default: `os.homedir()`. */
  readonly home?: string;
  /** Local user name for `%u` and `Match localuser`. Default: `os.userInfo().username`. */
  readonly localUser?: string;
  /** Where config text came from, for error messages. Default: `ssh_config`. */
  readonly source?: string;
  /**
   * The user given with the host (`user@alias`): `Match user` tests it, and it wins over
   * `User` (as on ssh's command line). Default: none.
   */
  readonly user?: string;
}

/**
 * Resolve `alias` the way `ssh` does: the blocks that apply in file order, first value wins,
 * `IdentityFile` accumulates. `config` is ssh_config text (parsed here, `Include` not
 * followed) or blocks from `loadSshConfig` / `parseSshConfig`; none means no config (the alias
 * is the host name). Handles `Host` patterns (`*`/`?`/`!`), `Match` (`all`, `host`,
 * `originalhost`, `user`, `localuser`, `canonical`, `final`, `!`; `exec` never applies),
 * `HostName` (`%h`), `User`, `Port`, `IdentityFile` (`~`, `%d`, `%u`, `%h`, `%r`, `%%`),
 * `ProxyJump` (one hop or a comma chain; `none`), `UserKnownHostsFile`, `StrictHostKeyChecking`.
 * Throws `SshConfigError` naming `file:line` for a bad `Port`.
 */
export function resolveHost(
  alias: string,
  config?: string | readonly SshConfigBlock[],
  options: ResolveHostOptions = {},
): ResolvedSshHost {
  const blocks = typeof config === 'object' ? config : parseSshConfig(config ?? '', options.source);
  const home = options.home ?? homedir();
  const localUser = options.localUser ?? userInfo().username;
  const merged = mergeSshConfig(blocks, alias, {
    localUser,
    ...(options.user === undefined ? {} : { user: options.user }),
  });
  const first = (k: string) => merged.get(k)?.values[0];
  const hostName = (first('hostname') ?? alias).replaceAll('%h', alias);
  const user = options.user ?? first('user');
  const expand = (path: string) =>
    path.replace(/^~(?=\/|$)/, home).replace(/%(.)/g, (all, t: string) => {
      const tokens: Record<string, string> = { d: home, u: localUser, h: hostName, '%': '%' };
      if (user !== undefined) tokens.r = user;
      return tokens[t] ?? all;
    });
  const portText = first('port');
  const port = portText === undefined ? undefined : Number(portText);
  if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536)) {
    const where = merged.get('port')?.where ?? 'ssh_config';
    throw new SshConfigError(`${where}: Port for ${alias} is "${portText}", expected 1-65535`);
  }
  const jump = first('proxyjump');
  const strict = first('stricthostkeychecking')?.toLowerCase();
  return {
    alias,
    hostName,
    ...(user === undefined ? {} : { user }),
    ...(port === undefined ? {} : { port }),
    identityFiles: (merged.get('identityfile')?.values ?? []).map(expand),
    proxyJump: jump === undefined || jump.toLowerCase() === 'none' ? [] : jump.split(','),
    userKnownHostsFiles: (first('userknownhostsfile')?.split(/\s+/) ?? []).map(expand),
    ...(strict === undefined ? {} : { strictHostKeyChecking: strict }),
  };
}
