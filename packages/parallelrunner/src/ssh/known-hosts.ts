import { createHash, createHmac } from 'node:crypto';
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { SshHostKeyError } from './errors.js';

/** One key line of a known_hosts file. */
interface KnownHostEntry {
  readonly file: string;
  readonly line: number;
  readonly marker: '' | '@revoked' | '@cert-authority';
  readonly hosts: string;
  readonly keyType: string;
  readonly key: Buffer;
}

/** The name OpenSSH looks up: `host` on port 22, `[host]:port` otherwise. */
export function knownHostsName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

/** `SHA256:...` fingerprint of a public key blob, as `ssh-keygen -l` prints it. */
export function fingerprint(key: Buffer): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}

/** The key type named inside an SSH public key blob (its first string). */
export function keyTypeOf(key: Buffer): string {
  if (key.length < 4) return 'unknown';
  const len = key.readUInt32BE(0);
  return key.subarray(4, 4 + len).toString('latin1');
}

/** Parse the key lines of known_hosts `text` (comments, blank and malformed lines skipped). */
export function parseKnownHosts(text: string, file: string): KnownHostEntry[] {
  const entries: KnownHostEntry[] = [];
  text.split('\n').forEach((raw, index) => {
    const fields = raw.trim().split(/\s+/);
    if (fields[0] === undefined || fields[0] === '' || fields[0].startsWith('#')) return;
    let marker: KnownHostEntry['marker'] = '';
    if (fields[0] === '@revoked' || fields[0] === '@cert-authority') {
      marker = fields[0];
      fields.shift();
    }
    const [hosts, keyType, b64] = fields;
    if (hosts === undefined || keyType === undefined || b64 === undefined) return;
    entries.push({
      file,
      line: index + 1,
      marker,
      hosts,
      keyType,
      key: Buffer.from(b64, 'base64'),
    });
  });
  return entries;
}

/**
 * Glob match for known_hosts and ssh_config patterns: `*` any run, `?` one character. Host
 * names compare case-insensitively; pass `ignoreCase: false` for user names.
 */
export function matchPattern(pattern: string, name: string, ignoreCase = true): boolean {
  const re = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replaceAll('*', '.*')
    .replaceAll('?', '.');
  return new RegExp(`^${re}$`, ignoreCase ? 'i' : '').test(name);
}

/**
 * Does a known_hosts host field or an ssh_config pattern list (comma list, negations, or one
 * `|1|salt|hash`) match `name`? Case-insensitive unless `ignoreCase` is false.
 */
export function hostFieldMatches(field: string, name: string, ignoreCase = true): boolean {
  if (field.startsWith('|1|')) {
    const [, , salt, hash] = field.split('|');
    if (salt === undefined || hash === undefined) return false;
    const digest = createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64');
    return digest === hash;
  }
  let matched = false;
  for (const pattern of field.split(',')) {
    if (pattern.startsWith('!')) {
      if (matchPattern(pattern.slice(1), name, ignoreCase)) return false;
    } else if (matchPattern(pattern, name, ignoreCase)) {
      matched = true;
    }
  }
  return matched;
}

/** Outcome of looking a host key up in known_hosts files. */
export type HostKeyCheck =
  | { readonly status: 'known' }
  | { readonly status: 'unknown' }
  | { readonly status: 'changed' | 'revoked'; readonly file: string; readonly line: number };

/** Look `key` for `host`:`port` up in `files` (missing files count as empty). */
export async function checkHostKey(
  files: readonly string[],
  host: string,
  port: number,
  key: Buffer,
): Promise<HostKeyCheck> {
  const name = knownHostsName(host, port);
  const keyType = keyTypeOf(key);
  let changed: HostKeyCheck | undefined;
  for (const file of files) {
    const text = await readFile(file, 'utf8').catch(() => '');
    for (const entry of parseKnownHosts(text, file)) {
      if (entry.marker === '@cert-authority' || !hostFieldMatches(entry.hosts, name)) continue;
      const same = entry.key.equals(key);
      if (entry.marker === '@revoked') {
        if (same) return { status: 'revoked', file: entry.file, line: entry.line };
      } else if (same) {
        return { status: 'known' };
      } else if (entry.keyType === keyType && changed === undefined) {
        changed = { status: 'changed', file: entry.file, line: entry.line };
      }
    }
  }
  return changed ?? { status: 'unknown' };
}

/**
 * Verify `key` against `files`; when unknown and `acceptNew`, append it to the first file.
 * Throws `SshHostKeyError` for an unknown (not accepted), changed or revoked key.
 */
export async function verifyHostKey(
  policy: { readonly files: readonly string[]; readonly acceptNew?: boolean },
  host: string,
  port: number,
  key: Buffer,
): Promise<void> {
  const check = await checkHostKey(policy.files, host, port, key);
  const name = knownHostsName(host, port);
  const what = `${keyTypeOf(key)} ${fingerprint(key)}`;
  if (check.status === 'known') return;
  if (check.status === 'unknown') {
    const first = policy.files[0];
    if (policy.acceptNew && first !== undefined) {
      await mkdir(dirname(first), { recursive: true });
      await appendFile(first, `${name} ${keyTypeOf(key)} ${key.toString('base64')}\n`);
      return;
    }
    const portFlag = port === 22 ? '' : `-p ${port} `;
    const where = policy.files.join(', ') || 'any known_hosts file';
    const keyscan = `ssh-keyscan ${portFlag}${host} >> ${first ?? '~/.ssh/known_hosts'}`;
    throw new SshHostKeyError(
      'unknown',
      [
        `host key of ${name} (${what}) is not in ${where};`,
        `to trust it, check the fingerprint and run \`${keyscan}\`,`,
        'or accept new keys (ssh_config `StrictHostKeyChecking accept-new`, the acceptNewHostKeys option, or ff --accept-new-host-keys)',
      ].join(' '),
    );
  }
  const problem =
    check.status === 'revoked'
      ? `is marked @revoked at ${check.file}:${check.line}`
      : `has CHANGED: it does not match ${check.file}:${check.line}`;
  throw new SshHostKeyError(
    'changed',
    `host key of ${name} (offered ${what}) ${problem}. ` +
      `If the change is expected, remove the old entry with \`ssh-keygen -R '${name}' -f ${check.file}\``,
    check.file,
    check.line,
  );
}
