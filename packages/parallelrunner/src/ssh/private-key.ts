import { loadSsh2 } from './load-ssh2.js';

/**
 * Why ssh2 cannot use `key` (a private key in any format ssh2 reads: OpenSSH, PKCS#1, SEC1),
 * e.g. `Encrypted private OpenSSH key detected, but no passphrase given`; `undefined` when it
 * can. Loads ssh2 on first use.
 *
 * @throws SshError when ssh2 is not installed.
 */
export function privateKeyProblem(key: string | Buffer): string | undefined {
  const parsed = loadSsh2().utils.parseKey(key);
  return parsed instanceof Error ? parsed.message : undefined;
}
