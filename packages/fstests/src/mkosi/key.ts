import { createPrivateKey, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { privateKeyProblem } from '@ff/parallelrunner/ssh';
import { MkosiKeyError } from './errors.js';

function sshString(data: Buffer | string): Buffer {
  const body = typeof data === 'string' ? Buffer.from(data) : data;
  const len = Buffer.alloc(4);
  len.writeUInt32BE(body.length);
  return Buffer.concat([len, body]);
}

function uint32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}

/** An unencrypted OpenSSH-format private key for an ed25519 key given as JWK parts. */
function openSshEd25519(seed: Buffer, pub: Buffer): string {
  const keyType = 'ssh-ed25519';
  const publicBlob = Buffer.concat([sshString(keyType), sshString(pub)]);
  const check = randomBytes(4).readUInt32BE();
  let secret = Buffer.concat([
    uint32(check),
    uint32(check),
    sshString(keyType),
    sshString(pub),
    sshString(Buffer.concat([seed, pub])),
    sshString('mkosi.key'),
  ]);
  const pad = (8 - (secret.length % 8)) % 8;
  secret = Buffer.concat([secret, Buffer.from(Array.from({ length: pad }, (_, i) => i + 1))]);
  const body = Buffer.concat([
    Buffer.from('openssh-key-v1\0'),
    sshString('none'),
    sshString('none'),
    sshString(''),
    uint32(1),
    sshString(publicBlob),
    sshString(secret),
  ]);
  const lines = body.toString('base64').match(/.{1,70}/g) ?? [];
  return `-----BEGIN OPENSSH PRIVATE KEY-----\n${lines.join('\n')}\n-----END OPENSSH PRIVATE KEY-----\n`;
}

/**
 * Turn a private key into text ssh2 can parse. `mkosi genkey` writes an unencrypted PKCS#8 key
 * (`BEGIN PRIVATE KEY`), which ssh2 rejects: RSA keys become PKCS#1 PEM, EC keys SEC1 PEM and
 * ed25519 keys the OpenSSH format. Keys ssh2 already understands are returned unchanged.
 * Throws `MkosiKeyError` (naming `source`) for anything ssh2 still cannot use.
 */
export async function toSsh2PrivateKey(pem: string, source = 'key'): Promise<string> {
  let text = pem;
  if (/-----BEGIN (ENCRYPTED )?PRIVATE KEY-----/.test(pem)) {
    if (pem.includes('ENCRYPTED PRIVATE KEY')) {
      throw new MkosiKeyError(source, 'the key is encrypted; mkosi keys must be unencrypted');
    }
    let key: ReturnType<typeof createPrivateKey>;
    try {
      key = createPrivateKey(pem);
    } catch (cause) {
      throw new MkosiKeyError(source, 'not a valid PKCS#8 private key', { cause });
    }
    const type = key.asymmetricKeyType;
    if (type === 'rsa') text = String(key.export({ type: 'pkcs1', format: 'pem' }));
    else if (type === 'ec') text = String(key.export({ type: 'sec1', format: 'pem' }));
    else if (type === 'ed25519') {
      const jwk = key.export({ format: 'jwk' });
      if (!jwk.d || !jwk.x) throw new MkosiKeyError(source, 'ed25519 key without key material');
      text = openSshEd25519(Buffer.from(jwk.d, 'base64url'), Buffer.from(jwk.x, 'base64url'));
    } else {
      throw new MkosiKeyError(
        source,
        `unsupported key type ${type ?? 'unknown'} (use RSA, ECDSA or ed25519)`,
      );
    }
  }
  // ssh2 loads on first use, so importing @ff/fstests stays cheap (`ff --list`).
  const problem = privateKeyProblem(text);
  if (problem !== undefined)
    throw new MkosiKeyError(source, `ssh2 cannot use this key: ${problem}`);
  return text;
}

/** Read the key at `path` (the mkosi config's `mkosi.key`) and convert it for ssh2. */
export async function loadSshKey(path: string): Promise<string> {
  let pem: string;
  try {
    pem = await readFile(path, 'utf8');
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    const hint = code === 'ENOENT' ? ' (run `mkosi genkey` in the mkosi config directory)' : '';
    throw new MkosiKeyError(path, `cannot read the SSH key: ${code ?? String(cause)}${hint}`, {
      cause,
    });
  }
  return await toSsh2PrivateKey(pem, path);
}
