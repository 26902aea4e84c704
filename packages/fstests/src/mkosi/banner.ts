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
 * How long one connection may wait for the banner. With socket activation (systemd-ssh-generator's
 * `sshd-extra.socket`, mkosi's vsock `ssh.socket`: `Accept=yes`) every connection starts a new
 * sshd, which takes seconds under software emulation; closing the connection earlier kills that
 * sshd mid-start, and the next poll starts over. A guest that is not listening yet closes the
 * connection at once (QEMU's user network), so the wait costs nothing then.
 */
export const BANNER_WAIT_MS = 30_000;

/**
 * Poll for an SSH banner with backoff (250 ms up to 2 s) until one arrives, each connection
 * waiting up to `bannerWaitMs` (default `BANNER_WAIT_MS`); rejects with `signal.reason` when the
 * signal aborts first.
 */
export async function waitForSshBanner(
  connect: () => Promise<Duplex>,
  signal: AbortSignal,
  bannerWaitMs: number = BANNER_WAIT_MS,
): Promise<void> {
  let backoff = 250;
  for (;;) {
    signal.throwIfAborted();
    if (await sshBannerOnce(connect, bannerWaitMs)) return;
    await delay(backoff, signal);
    backoff = Math.min(backoff * 2, 2000);
  }
}
