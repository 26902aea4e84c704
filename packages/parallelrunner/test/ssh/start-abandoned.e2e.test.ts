/**
 * A start that times out against a busy host leaves nothing behind: no connection that comes
 * up later and keeps the process alive (`ff doctor` once hung so after "did not become ready").
 */
import { writeFile } from 'node:fs/promises';
import { type Server, type Socket, connect, createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SupervisorStartTimeoutError } from '../../src/errors.js';
import { SshHostSupervisor, SshSupervisor } from '../../src/ssh/index.js';
import { describeWith } from '../support/e2e.js';
import { connectionCount, hostBlock } from './support/ssh-config.js';
import { type Sshd, startSshd } from './support/sshd.js';
import { StaticTarget, endpointFor } from './support/target.js';

const describe = describeWith('sshd');

let busy: Sshd;
let idle: Sshd;
let proxy: Server;
const proxied: Socket[] = [];

/** A TCP port that forwards to `port` only `ms` after a client connects (a slow network). */
async function slowForward(port: number, ms: number): Promise<number> {
  proxy = createServer((client) => {
    proxied.push(client);
    setTimeout(() => {
      const upstream = connect(port, '127.0.0.1');
      proxied.push(upstream);
      client.pipe(upstream).pipe(client);
      client.on('error', () => upstream.destroy());
      upstream.on('error', () => client.destroy());
    }, ms);
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', () => r()));
  const address = proxy.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  // Logs in at once, but every command (the readiness `true` too) takes 3 s.
  busy = await startSshd({ config: ['ForceCommand sleep 3'] });
  idle = await startSshd();
});

afterAll(async () => {
  for (const s of proxied) s.destroy();
  proxy?.close();
  await Promise.all([busy?.stop(), idle?.stop()]);
});

describe('a start given up on', () => {
  it('while a busy host runs the readiness check closes the connection at once', async () => {
    const s = new SshSupervisor({
      name: 'busy',
      target: new StaticTarget(await endpointFor(busy)),
    });
    const error = await s.start({ timeoutMs: 1000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SupervisorStartTimeoutError);
    // Past the moment the host's `true` would have answered: nothing was kept.
    await sleep(3000);
    expect(await connectionCount(busy)).toBe(0);
    expect(s.state).toBe('idle');
    await s.stop();
  });

  it('while a ProxyJump hop connects closes the hop when it comes up', async () => {
    const gatePort = await slowForward(idle.port, 1500);
    const configPath = join(idle.dir, 'ssh_config_slow');
    await writeFile(
      configPath,
      [
        ...hostBlock('slowgate', idle, gatePort),
        ...hostBlock('behindslow', idle),
        '  ProxyJump slowgate',
        '',
      ].join('\n'),
    );
    // known_hosts names the daemon's own port; the slow gate is another port of the same host.
    await writeFile(
      idle.knownHostsPath,
      `[127.0.0.1]:${idle.port} ${idle.hostPublicKey}\n[127.0.0.1]:${gatePort} ${idle.hostPublicKey}\n`,
    );
    const s = new SshHostSupervisor({ host: 'behindslow', sshConfigPath: configPath, agent: '' });
    const error = await s.start({ timeoutMs: 500 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SupervisorStartTimeoutError);
    await sleep(3000);
    expect(await connectionCount(idle)).toBe(0);
    await s.stop();
  });
});
