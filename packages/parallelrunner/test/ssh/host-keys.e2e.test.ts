import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SshHostKeyError, SshHostSupervisor } from '../../src/ssh/index.js';
import { checkHostKey } from '../../src/ssh/known-hosts.js';
import { describeWith } from '../support/e2e.js';
import { type Sshd, startSshd } from './support/sshd.js';

const describe = describeWith('sshd');

const run = promisify(execFile);

let sshd: Sshd;
let dir: string;
let hostKey: Buffer;
let otherKeyLine: string;

beforeAll(async () => {
  sshd = await startSshd();
  dir = await mkdtemp(join(tmpdir(), 'ff-hostkeys-'));
  hostKey = Buffer.from(sshd.hostPublicKey.split(' ')[1] ?? '', 'base64');
  // Another ed25519 key, standing in for the host's previous key.
  const pub = await readFile(`${sshd.userKeyPath}.pub`, 'utf8');
  otherKeyLine = pub.split(' ').slice(0, 2).join(' ');
});

afterAll(async () => {
  await sshd?.stop();
  await rm(dir, { recursive: true, force: true });
});

function supervisor(knownHosts: string, acceptNewHostKeys = false) {
  return new SshHostSupervisor({
    host: `${sshd.username}@127.0.0.1:${sshd.port}`,
    sshConfigPath: '/dev/null',
    identityFiles: [sshd.userKeyPath],
    knownHostsFiles: [knownHosts],
    acceptNewHostKeys,
    agent: '',
  });
}

async function startError(s: SshHostSupervisor): Promise<unknown> {
  try {
    return await s.start().then(() => undefined);
  } catch (error) {
    return error;
  } finally {
    await s.stop();
  }
}

describe('checkHostKey', () => {
  it('finds plain, [host]:port, wildcard and ssh-keygen -H hashed entries', async () => {
    const file = join(dir, 'plain');
    const name = `[127.0.0.1]:${sshd.port}`;
    await writeFile(file, `# comment\n\n${name} ${sshd.hostPublicKey}\n`);
    expect(await checkHostKey([file], '127.0.0.1', sshd.port, hostKey)).toEqual({
      status: 'known',
    });
    expect(await checkHostKey([file], '127.0.0.1', 22, hostKey)).toEqual({ status: 'unknown' });
    await writeFile(file, `[127.0.0.*]:${sshd.port},!10.0.0.1 ${sshd.hostPublicKey}\n`);
    expect(await checkHostKey([file], '127.0.0.1', sshd.port, hostKey)).toEqual({
      status: 'known',
    });

    const hashed = join(dir, 'hashed');
    await writeFile(hashed, `${name} ${sshd.hostPublicKey}\nother.example ${otherKeyLine}\n`);
    await run('ssh-keygen', ['-H', '-f', hashed]);
    const text = await readFile(hashed, 'utf8');
    expect(text).not.toContain('127.0.0.1');
    expect(text.startsWith('|1|')).toBe(true);
    expect(await checkHostKey([hashed], '127.0.0.1', sshd.port, hostKey)).toEqual({
      status: 'known',
    });
    expect(await checkHostKey([hashed], 'other.example', 22, hostKey)).toEqual({
      status: 'changed',
      file: hashed,
      line: 2,
    });
  });

  it('treats missing files as empty and honours @revoked', async () => {
    const file = join(dir, 'revoked');
    await writeFile(file, `@revoked * ${sshd.hostPublicKey}\n`);
    expect(await checkHostKey([join(dir, 'nope')], 'h', 22, hostKey)).toEqual({
      status: 'unknown',
    });
    expect(await checkHostKey([file], 'h', 22, hostKey)).toMatchObject({ status: 'revoked' });
  });
});

describe('host key verification against a real sshd', () => {
  it('refuses an unknown key and says how to accept it', async () => {
    const file = join(dir, 'empty');
    await writeFile(file, '');
    const error = await startError(supervisor(file));
    expect(error).toBeInstanceOf(SshHostKeyError);
    expect(error).toMatchObject({ code: 'ERR_SSH_HOST_KEY', reason: 'unknown' });
    expect((error as Error).message).toContain(`ssh-keyscan -p ${sshd.port} 127.0.0.1 >> ${file}`);
    expect((error as Error).message).toContain('StrictHostKeyChecking accept-new');
  });

  it('refuses a changed key, naming the file and line', async () => {
    const file = join(dir, 'changed');
    await writeFile(file, `# old\n[127.0.0.1]:${sshd.port} ${otherKeyLine}\n`);
    const error = await startError(supervisor(file));
    expect(error).toMatchObject({ code: 'ERR_SSH_HOST_KEY', reason: 'changed', file, line: 2 });
    expect((error as Error).message).toContain(`${file}:2`);
  });

  it('accepts and records a new key when asked, then verifies against it', async () => {
    const file = join(dir, 'sub', 'known_hosts');
    const first = supervisor(file, true);
    await first.start();
    await first.stop();
    expect(await readFile(file, 'utf8')).toBe(`[127.0.0.1]:${sshd.port} ${sshd.hostPublicKey}\n`);
    const second = supervisor(file);
    await second.start();
    expect((await second.exec({ command: 'true' })).exitCode).toBe(0);
    await second.stop();
  });
});
