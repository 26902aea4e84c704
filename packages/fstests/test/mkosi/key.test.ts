import { type KeyObject, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { utils } from 'ssh2';
import { describe, expect, it } from 'vitest';
import { MkosiKeyError } from '../../src/mkosi/errors.js';
import { loadSshKey, toSsh2PrivateKey } from '../../src/mkosi/key.js';
import { useTempDir } from './temp-dir.js';

function spki(key: KeyObject | string): string {
  return (typeof key === 'string' ? createPublicKey(key) : key)
    .export({ type: 'spki', format: 'der' })
    .toString('base64');
}

function pkcs8(type: 'rsa' | 'ec' | 'ed25519'): { pem: string; publicDer: string } {
  const pair =
    type === 'rsa'
      ? generateKeyPairSync('rsa', { modulusLength: 2048 })
      : type === 'ec'
        ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
        : generateKeyPairSync('ed25519');
  const pem = String(pair.privateKey.export({ type: 'pkcs8', format: 'pem' }));
  return { pem, publicDer: spki(pair.publicKey) };
}

describe('toSsh2PrivateKey', () => {
  it.each(['rsa', 'ec', 'ed25519'] as const)(
    'converts a PKCS#8 %s key ssh2 rejects into one it signs with',
    async (type) => {
      const { pem, publicDer } = pkcs8(type);
      expect(pem).toContain('BEGIN PRIVATE KEY');
      const converted = await toSsh2PrivateKey(pem);
      expect(converted).not.toContain('BEGIN PRIVATE KEY');
      const parsed = utils.parseKey(converted);
      if (parsed instanceof Error) throw parsed;
      expect(spki(parsed.getPublicPEM())).toBe(publicDer);
      const data = Buffer.from('challenge');
      expect(parsed.verify(data, parsed.sign(data))).toBe(true);
    },
  );

  it('passes keys ssh2 already reads through unchanged', async () => {
    const { pem } = pkcs8('rsa');
    const pkcs1 = await toSsh2PrivateKey(pem);
    expect(await toSsh2PrivateKey(pkcs1)).toBe(pkcs1);
  });

  it('rejects garbage and encrypted keys with MkosiKeyError', async () => {
    await expect(toSsh2PrivateKey('hello', 'k')).rejects.toThrow(MkosiKeyError);
    await expect(
      toSsh2PrivateKey('-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n', 'k'),
    ).rejects.toThrow(/k: not a valid PKCS#8/);
    await expect(
      toSsh2PrivateKey(
        '-----BEGIN ENCRYPTED PRIVATE KEY-----\nx\n-----END ENCRYPTED PRIVATE KEY-----',
      ),
    ).rejects.toThrow(/encrypted/);
  });
});

describe('loadSshKey', () => {
  const tmp = useTempDir('ff-mkosi-key-');

  it('reads and converts mkosi.key', async () => {
    const path = join(tmp.path(), 'mkosi.key');
    await writeFile(path, pkcs8('rsa').pem);
    await expect(loadSshKey(path)).resolves.toContain('BEGIN RSA PRIVATE KEY');
  });

  it('a missing key names the file and says how to make one', async () => {
    const error = await loadSshKey(join(tmp.path(), 'none.key')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MkosiKeyError);
    expect((error as Error).message).toMatch(
      /none\.key: cannot read the SSH key: ENOENT.*mkosi genkey/,
    );
  });

  it('a file that is not a key is an error naming it', async () => {
    const path = join(tmp.path(), 'junk.key');
    await writeFile(path, 'not a key');
    await expect(loadSshKey(path)).rejects.toThrow(/junk\.key: ssh2 cannot use this key/);
  });
});
