import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SshConfigError, SshHostSupervisor } from '../../src/ssh/index.js';
import { describeWith } from '../support/e2e.js';
import { connectionCount, hostBlock } from './support/ssh-config.js';
import { type Sshd, startSshd } from './support/sshd.js';

const describe = describeWith('sshd');

let sshd: Sshd;
let configPath: string;

/** Start `s` and return what `id -un` prints there (asserting it exits 0). */
async function whoami(s: SshHostSupervisor): Promise<string> {
  await s.start();
  let out = '';
  const r = await s.exec(
    { command: 'id -un' },
    {
      onStdout: (c) => {
        out += c;
      },
    },
  );
  expect(r.exitCode).toBe(0);
  return out.trim();
}

beforeAll(async () => {
  sshd = await startSshd();
  configPath = join(sshd.dir, 'ssh_config');
  // An alias defined in an included file, its Port, User and keys from a `Match host` block.
  await mkdir(join(sshd.dir, 'conf.d'));
  await writeFile(
    join(sshd.dir, 'conf.d', 'lab.conf'),
    [
      'Host included',
      '  HostName 127.0.0.1',
      'Match host 127.0.0.1 originalhost included',
      `  Port ${sshd.port}`,
      `  User ${sshd.username}`,
      `  IdentityFile ${sshd.userKeyPath}`,
      `  UserKnownHostsFile ${sshd.knownHostsPath}`,
      '',
    ].join('\n'),
  );
  await writeFile(
    configPath,
    [
      `Include ${sshd.dir}/conf.d/*.conf`,
      ...hostBlock('testbox', sshd),
      ...hostBlock('gate', sshd),
      ...hostBlock('behind', sshd),
      '  ProxyJump gate',
      // Reached through `behind`, itself reached through `gate`: three connections.
      ...hostBlock('deeper', sshd),
      '  ProxyJump behind',
      ...hostBlock('loop-a', sshd),
      '  ProxyJump loop-b',
      ...hostBlock('loop-b', sshd),
      '  ProxyJump loop-a',
      '',
    ].join('\n'),
  );
});

afterAll(async () => {
  await sshd?.stop();
});

describe('SshHostSupervisor', () => {
  it('connects through an ssh_config alias (HostName, Port, User, IdentityFile)', async () => {
    await using s = new SshHostSupervisor({
      host: 'testbox',
      sshConfigPath: configPath,
      agent: '',
    });
    expect(await whoami(s)).toBe(sshd.username);
    expect(s.name).toBe('testbox');
    expect(await connectionCount(sshd)).toBe(1);
  });

  it('connects through an alias from an included file with settings from a Match block', async () => {
    await using s = new SshHostSupervisor({
      host: 'included',
      sshConfigPath: configPath,
      agent: '',
    });
    expect(await whoami(s)).toBe(sshd.username);
  });

  it('connects through a ProxyJump hop and closes both connections on stop', async () => {
    const s = new SshHostSupervisor({ host: 'behind', sshConfigPath: configPath, agent: '' });
    await s.start();
    expect((await s.exec({ command: 'true' })).exitCode).toBe(0);
    expect(await connectionCount(sshd)).toBe(2);
    await s.stop();
    const deadline = Date.now() + 3000;
    while ((await sshd.descendants()).length > 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(await sshd.descendants()).toEqual([]);
  });

  it("follows the first hop's own ProxyJump, as ssh does; a ProxyJump loop is a clear error", async () => {
    const s = new SshHostSupervisor({ host: 'deeper', sshConfigPath: configPath, agent: '' });
    await s.start();
    expect((await s.exec({ command: 'true' })).exitCode).toBe(0);
    expect(await connectionCount(sshd)).toBe(3);
    await s.stop();
    const loop = new SshHostSupervisor({ host: 'loop-a', sshConfigPath: configPath, agent: '' });
    await expect(loop.start()).rejects.toThrow(
      /ProxyJump loop or too deep: loop-a -> loop-b -> loop-a/,
    );
    await loop.stop();
  });

  it('reports an unreadable explicit ssh config', async () => {
    const s = new SshHostSupervisor({ host: 'testbox', sshConfigPath: join(sshd.dir, 'none') });
    await expect(s.start()).rejects.toBeInstanceOf(SshConfigError);
    await s.stop();
  });
});
