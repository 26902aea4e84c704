import { type Server, type Socket, createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { connectReady } from '../../src/ssh/connect.js';
import { SshError } from '../../src/ssh/errors.js';

const servers: Server[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

/** A port that accepts, then resets before any SSH banner (a VM's port forward before sshd). */
async function resettingPort(): Promise<number> {
  const sockets: Socket[] = [];
  const server = createServer((s) => {
    sockets.push(s);
    setTimeout(() => s.resetAndDestroy(), 30);
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('connectReady', () => {
  it('survives connections reset before the handshake: retries, then rejects, never throws', async () => {
    const uncaught: unknown[] = [];
    const onUncaught = (e: unknown) => uncaught.push(e);
    process.on('uncaughtException', onUncaught);
    try {
      const port = await resettingPort();
      const error = await connectReady(
        {
          host: '127.0.0.1',
          port,
          username: 'root',

          hostKey: { mode: 'off' },
          waitReadyMs: 1500,
        },
        { keepaliveIntervalMs: 5000, keepaliveCountMax: 3 },
        AbortSignal.timeout(10_000),
      ).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(SshError);
      await new Promise((r) => setTimeout(r, 300));
      expect(uncaught).toEqual([]);
    } finally {
      process.off('uncaughtException', onUncaught);
    }
  });
});
