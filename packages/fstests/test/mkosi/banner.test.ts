import { type Server, type Socket, connect, createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { waitForSshBanner } from '../../src/mkosi/banner.js';

let server: Server | undefined;
afterEach(() => new Promise<void>((done) => (server ? server.close(() => done()) : done())));

/** A server whose banner comes `delayMs` after each connection (a socket-activated sshd). */
async function slowSshd(delayMs: number): Promise<{ port: number; connections: () => number }> {
  let count = 0;
  const sockets = new Set<Socket>();
  server = createServer((socket) => {
    count++;
    sockets.add(socket);
    socket.on('error', () => undefined);
    const timer = setTimeout(() => socket.end('SSH-2.0-OpenSSH_10.0p2 Debian\r\n'), delayMs);
    socket.once('close', () => {
      clearTimeout(timer);
      sockets.delete(socket);
    });
  });
  server.on('close', () => {
    for (const s of sockets) s.destroy();
  });
  await new Promise<void>((done) => server?.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return { port, connections: () => count };
}

const dial = (port: number) => () =>
  new Promise<Socket>((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port });
    s.once('connect', () => resolve(s));
    s.once('error', reject);
  });

describe('waitForSshBanner', () => {
  it('waits for a banner that takes seconds (a fresh sshd per connection) on one connection', async () => {
    const sshd = await slowSshd(1500);
    await waitForSshBanner(dial(sshd.port), AbortSignal.timeout(20_000));
    expect(sshd.connections()).toBe(1);
  });

  it('a per-connection wait shorter than the banner never succeeds: each poll starts over', async () => {
    const sshd = await slowSshd(1500);
    const error = await waitForSshBanner(dial(sshd.port), AbortSignal.timeout(3000), 500).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DOMException);
    expect(sshd.connections()).toBeGreaterThan(1);
  });
});
