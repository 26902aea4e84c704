import type { Duplex } from 'node:stream';
import { delay } from '@ff/parallelrunner';

/**
 * Open a connection with `connect` and resolve true if the server sends an SSH banner
 * (`SSH-...`) within `timeoutMs`. A QEMU user-network forward accepts connections before the
 * guest listens and then closes them; only the banner shows that sshd is up.
 */
export async function sshBannerOnce(
  connect: () => Promise<Duplex>,
  timeoutMs: number,
): Promise<boolean> {
  let stream: Duplex;
  try {
    stream = await connect();
  } catch {
    return false;
  }
  return new Promise<boolean>((resolve) => {
    let seen = '';
    const done = (ok: boolean) => {
      clearTimeout(timer);
      stream.removeAllListeners('data');
      stream.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    stream.on('data', (chunk: Buffer) => {
      seen += chunk.toString('latin1');
      if (seen.startsWith('SSH-')) done(true);
      else if (seen.length >= 4) done(false);
    });
    stream.once('error', () => done(false));
    stream.once('close', () => done(false));
  });
}

/**
 * Poll for an SSH banner with backoff (250 ms up to 2 s) until one arrives; rejects with
 * `signal.reason` when the signal aborts first.
 */
export async function waitForSshBanner(
  connect: () => Promise<Duplex>,
  signal: AbortSignal,
): Promise<void> {
  let backoff = 250;
  for (;;) {
    signal.throwIfAborted();
    if (await sshBannerOnce(connect, 5000)) return;
    await delay(backoff, signal);
    backoff = Math.min(backoff * 2, 2000);
  }
}
