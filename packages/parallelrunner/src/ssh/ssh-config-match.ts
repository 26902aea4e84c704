import { SshConfigError } from './errors.js';
import { hostFieldMatches, matchPattern } from './known-hosts.js';
import type { SshConfigBlock, SshConfigCondition } from './ssh-config.js';

/** Keywords whose every occurrence counts; for the others the first value wins (as in ssh). */
const MULTI = new Set(['identityfile', 'certificatefile', 'localforward', 'remoteforward']);

/** Criteria of a `Match` line that take no argument. */
const BARE = ['all', 'canonical', 'final'] as const;
/** Criteria of a `Match` line that take one argument. */
const WITH_ARGUMENT = ['exec', 'host', 'originalhost', 'user', 'localuser'] as const;

/** A `Match` criterion keyword (the ones OpenSSH's ssh_config knows). */
export type SshMatchCriterionName = (typeof BARE)[number] | (typeof WITH_ARGUMENT)[number];

/** One criterion of a `Match` line. */
export interface SshMatchCriterion {
  /** The keyword, lower-cased. */
  readonly name: SshMatchCriterionName;
  /** The criterion is negated (`!host ...`). */
  readonly negated: boolean;
  /**
   * A comma-separated pattern list (`*`, `?`, `!`), or the command of `exec`; `''` for `all`,
   * `canonical` and `final`.
   */
  readonly argument: string;
}

/** What `Match` criteria are tested against. */
export interface SshMatchContext {
  /** The `HostName` resolved so far (`%h` expanded), or the alias when none. */
  readonly host: string;
  /** The alias as given. */
  readonly originalHost: string;
  /** The remote user resolved so far, or the local user. */
  readonly user: string;
  /** The local user. */
  readonly localUser: string;
}

function isBare(name: string): name is (typeof BARE)[number] {
  return (BARE as readonly string[]).includes(name);
}

function takesArgument(name: string): name is (typeof WITH_ARGUMENT)[number] {
  return (WITH_ARGUMENT as readonly string[]).includes(name);
}

/**
 * Parse the arguments of a `Match` line. Throws `SshConfigError` naming `where` (`file:line`)
 * for an unknown criterion, a missing argument, or `all` combined with anything but a leading
 * `canonical`/`final` (ssh refuses such a config too).
 */
export function parseMatch(args: readonly string[], where: string): SshMatchCriterion[] {
  const criteria: SshMatchCriterion[] = [];
  for (let i = 0; i < args.length; i++) {
    const word = args[i] ?? '';
    const negated = word.startsWith('!');
    const name = (negated ? word.slice(1) : word).toLowerCase();
    if (isBare(name)) {
      criteria.push({ name, negated, argument: '' });
      continue;
    }
    if (!takesArgument(name)) {
      throw new SshConfigError(`${where}: unsupported Match criterion "${word}"`);
    }
    i++;
    const argument = args[i];
    if (argument === undefined) {
      throw new SshConfigError(`${where}: Match ${name} needs an argument`);
    }
    criteria.push({ name, negated, argument });
  }
  const all = criteria.findIndex((c) => c.name === 'all');
  const leading = criteria.slice(0, all).every((c) => c.name === 'canonical' || c.name === 'final');
  if (all >= 0 && (all !== criteria.length - 1 || !leading)) {
    throw new SshConfigError(`${where}: Match all cannot be combined with other criteria`);
  }
  return criteria;
}

/** What each pattern-list criterion is tested against (the others hold, or never do: `exec`). */
const SUBJECT: Partial<Record<SshMatchCriterionName, keyof SshMatchContext>> = {
  host: 'host',
  originalhost: 'originalHost',
  user: 'user',
  localuser: 'localUser',
};

/**
 * Whether every criterion holds for `context` (criteria are ANDed). `all`, `canonical` and
 * `final` hold (one final pass); `exec` is never run, so a block with it never applies (negated
 * or not).
 */
export function matchApplies(
  criteria: readonly SshMatchCriterion[],
  context: SshMatchContext,
): boolean {
  for (const criterion of criteria) {
    if (criterion.name === 'exec') return false;
    const subject = SUBJECT[criterion.name];
    // Host names compare case-insensitively, user names exactly (as in ssh).
    const ignoreCase = subject === 'host' || subject === 'originalHost';
    const holds =
      subject === undefined || hostFieldMatches(criterion.argument, context[subject], ignoreCase);
    if (holds === criterion.negated) return false;
  }
  return true;
}

function hostApplies(patterns: readonly string[], alias: string): boolean {
  let matched = false;
  for (const p of patterns) {
    if (p.startsWith('!')) {
      if (matchPattern(p.slice(1), alias)) return false;
    } else if (matchPattern(p, alias)) {
      matched = true;
    }
  }
  return matched;
}

/**
 * Walk `blocks` in order the way `ssh` does, keeping the blocks that apply: a `Host` line
 * matches the alias; a `Match` line is tested (once, where it stands) against what is resolved
 * so far; an included block also needs every condition it is `within`. First value wins,
 * except for keywords that accumulate (`IdentityFile`, `CertificateFile`, forwards). Each
 * value comes with the `file:line` of its first occurrence.
 */
export function mergeSshConfig(
  blocks: readonly SshConfigBlock[],
  alias: string,
  context: { readonly user?: string; readonly localUser: string },
): Map<string, { values: string[]; where: string }> {
  const merged = new Map<string, { values: string[]; where: string }>();
  const first = (k: string) => merged.get(k)?.values[0];
  const decided = new Map<SshConfigCondition, boolean>();
  const applies = (c: SshConfigCondition): boolean => {
    let result = decided.get(c);
    if (result === undefined) {
      result =
        c.kind === 'host'
          ? hostApplies(c.patterns, alias)
          : matchApplies(c.criteria, {
              host: (first('hostname') ?? alias).replaceAll('%h', alias),
              originalHost: alias,
              user: context.user ?? first('user') ?? context.localUser,
              localUser: context.localUser,
            });
      decided.set(c, result);
    }
    return result;
  };
  for (const block of blocks) {
    if (!block.within.every(applies) || !applies(block.condition)) continue;
    for (const [k, v] of block.options) {
      const had = merged.get(k);
      const line = block.lines.get(k)?.[0];
      const where = line === undefined ? block.source : `${block.source}:${line}`;
      if (had === undefined) merged.set(k, { values: [...v], where });
      else if (MULTI.has(k)) had.values.push(...v);
    }
  }
  return merged;
}
