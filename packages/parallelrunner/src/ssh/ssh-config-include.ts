import { readFile, readdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { describeCause } from '../errors.js';
import { SshConfigError } from './errors.js';
import { type SshConfigBlock, type SshConfigCondition, parseSshConfigItems } from './ssh-config.js';

/** How deep `Include`s may nest (the top file is level 0), as in OpenSSH. */
const MAX_INCLUDE_DEPTH = 16;

/** Options of `loadSshConfig`. */
export interface LoadSshConfigOptions {
  /** Home directory that `~` in `Include` paths stands for. Default: `os.homedir()`. */
  readonly home?: string;
  /**
   * Directory that relative `Include` paths are relative to. Default: `<home>/.ssh`, as ssh
   * does for a user config (not the including file's directory).
   */
  readonly includeDir?: string;
  /** A missing top file is no config (`[]`) instead of an error. Default: false. */
  readonly missingOk?: boolean;
}

/** `*` any run, `?` one character, everything else literal; a whole file name. */
function nameRegExp(pattern: string): RegExp {
  let source = '';
  for (const c of pattern) {
    if (c === '*') source += '.*';
    else if (c === '?') source += '.';
    else source += c.replace(/[\\^$.|+()[\]{}]/, '\\$&');
  }
  return new RegExp(`^${source}$`, 's');
}

/**
 * Paths matching the absolute `pattern` (`*` and `?` in any component; as in glob(7) they do
 * not match a leading `.`), sorted. Components without wildcards are taken as they are, so a
 * path may not exist: the reader treats that as no match.
 */
async function globPaths(pattern: string): Promise<string[]> {
  let found = ['/'];
  for (const part of pattern.split('/')) {
    if (part === '') continue;
    if (!/[*?]/.test(part)) {
      found = found.map((dir) => join(dir, part));
      continue;
    }
    const re = nameRegExp(part);
    const next: string[] = [];
    for (const dir of found) {
      const names = await readdir(dir).catch(() => []);
      for (const name of names) {
        if (re.test(name) && (part.startsWith('.') || !name.startsWith('.'))) {
          next.push(join(dir, name));
        }
      }
    }
    found = next;
  }
  return found.sort();
}

/**
 * Read ssh_config `path` and everything it `Include`s, into blocks in the order ssh reads
 * them (see `SshConfigBlock`; pass them to `resolveHost`). `Include` takes one or more paths;
 * each may start with `~` and hold `*`/`?` in any component; a relative one is relative to
 * `includeDir`; matches are read in lexical order; a pattern matching nothing is fine. Blocks
 * of a file included under `Host`/`Match` apply only when that block does. Throws
 * `SshConfigError` for an unreadable file (naming it and the `Include` line), a malformed line
 * (naming `file:line`), an `Include` loop or nesting deeper than 16 (naming the chain).
 */
export async function loadSshConfig(
  path: string,
  options: LoadSshConfigOptions = {},
): Promise<SshConfigBlock[]> {
  const home = options.home ?? homedir();
  const includeDir = options.includeDir ?? join(home, '.ssh');
  const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT' && options.missingOk) return undefined;
    throw new SshConfigError(`cannot read ssh config ${path}: ${describeCause(error)}`, {
      cause: error,
    });
  });
  if (text === undefined) return [];

  const anchor = (arg: string, where: string): string => {
    if (arg === '~' || arg.startsWith('~/')) return join(home, arg.slice(1));
    if (arg.startsWith('~')) {
      throw new SshConfigError(`${where}: Include ${arg}: only ~ and ~/ are supported`);
    }
    return isAbsolute(arg) ? arg : join(includeDir, arg);
  };
  const expand = async (
    content: string,
    source: string,
    within: readonly SshConfigCondition[],
    chain: readonly string[],
  ): Promise<SshConfigBlock[]> => {
    const blocks: SshConfigBlock[] = [];
    for (const item of parseSshConfigItems(content, source, within)) {
      if ('options' in item) {
        blocks.push(item);
        continue;
      }
      for (const arg of item.paths) {
        for (const file of await globPaths(anchor(arg, item.where))) {
          const next = [...chain, resolve(file)];
          if (chain.includes(resolve(file))) {
            throw new SshConfigError(`${item.where}: Include loop: ${next.join(' -> ')}`);
          }
          if (chain.length > MAX_INCLUDE_DEPTH) {
            throw new SshConfigError(
              `${item.where}: Include nested more than ${MAX_INCLUDE_DEPTH} levels deep: ${next.join(' -> ')}`,
            );
          }
          const included = await readIncluded(file, item.where);
          if (included !== undefined) {
            blocks.push(...(await expand(included, file, item.within, next)));
          }
        }
      }
    }
    return blocks;
  };
  return expand(text, path, [], [resolve(path)]);
}

/**
 * The text of an included file; undefined when it does not exist (no match) or is a directory
 * (ssh reads nothing from one either).
 */
async function readIncluded(file: string, where: string): Promise<string | undefined> {
  return readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (['ENOENT', 'ENOTDIR', 'EISDIR'].includes(error.code ?? '')) return undefined;
    throw new SshConfigError(
      `${where}: cannot read included ssh config ${file}: ${describeCause(error)}`,
      { cause: error },
    );
  });
}
