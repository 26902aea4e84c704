import type { Client, ConnectConfig } from 'ssh2';
import { describeCause } from '../errors.js';
import { delay, raceAbort } from '../util/abort.js';
import { SshError, SshHostKeyError } from './errors.js';
import { verifyHostKey } from './known-hosts.js';
import { loadSsh2 } from './load-ssh2.js';
import type { SshEndpoint } from './target.js';

/** Connection tuning shared by every connect of a supervisor. */
export interface ConnectTuning {
  /** ssh2 keepalive interval in milliseconds. */
  readonly keepaliveIntervalMs: number;
  /** Unanswered keepalives before the connection counts as dead. */
  readonly keepaliveCountMax: number;
  /** Handshake + authentication timeout of one attempt. Default 20000. */
  readonly readyTimeoutMs?: number;
}

/** Connect and authenticate once. Rejects with `SshHostKeyError` or `SshError`. */
export async function connectOnce(
  endpoint: SshEndpoint,
  tuning: ConnectTuning,
  signal: AbortSignal,
): Promise<Client> {
  signal.throwIfAborted();
  const ssh2 = loadSsh2();
  const sock = endpoint.sock ? await endpoint.sock() : undefined;
  // The socket (a ProxyJump channel, socat) may have taken longer than the caller allowed.
  if (signal.aborted) {
    sock?.destroy();
    throw signal.reason;
  }
  const client = new ssh2.Client();
  let hostKeyError: SshHostKeyError | undefined;
  const policy = endpoint.hostKey;
  const config: ConnectConfig = {
    host: endpoint.host,
    port: endpoint.port,
    username: endpoint.username,
    keepaliveInterval: tuning.keepaliveIntervalMs,
    keepaliveCountMax: tuning.keepaliveCountMax,
    readyTimeout: tuning.readyTimeoutMs ?? 20_000,
    ...(sock ? { sock } : {}),
    ...(endpoint.privateKey === undefined ? {} : { privateKey: endpoint.privateKey }),
    ...(endpoint.passphrase === undefined ? {} : { passphrase: endpoint.passphrase }),
    ...(endpoint.agent === undefined ? {} : { agent: endpoint.agent }),
    ...(policy.mode === 'known-hosts'
      ? {
          hostVerifier: (key: Buffer, verify: (valid: boolean) => void) => {
            verifyHostKey(policy, endpoint.host, endpoint.port, key).then(
              () => verify(true),
              (error: unknown) => {
                hostKeyError =
                  error instanceof SshHostKeyError
                    ? error
                    : new SshHostKeyError('unknown', describeCause(error));
                verify(false);
              },
            );
          },
        }
      : {}),
  };
  // From here on the client must never emit an 'error' without a listener: ssh2 can emit a
  // second one (e.g. "Connection lost before handshake" after a reset) after `destroy()`.
  const swallow = () => undefined;
  client.on('error', swallow);
  return new Promise<Client>((resolve, reject) => {
    const onAbort = () => {
      cleanup();
      client.destroy();
      reject(signal.reason);
    };
    const cleanup = () => {
      signal.removeEventListener('abort', onAbort);
      client.removeListener('ready', onReady);
      client.removeListener('error', onError);
      client.removeListener('close', onClose);
    };
    const onReady = () => {
      cleanup();
      // Errors after the handshake surface as 'close'; `swallow` stays so they never throw.
      resolve(client);
    };
    const fail = (cause: unknown) => {
      cleanup();
      client.destroy();
      sock?.destroy();
      const where = `${endpoint.username}@${endpoint.host}:${endpoint.port}`;
      reject(hostKeyError ?? new SshError(`ssh ${where}: ${describeCause(cause)}`, { cause }));
    };
    const onError = (error: Error) => fail(error);
    const onClose = () => fail(new Error('connection closed during handshake'));
    signal.addEventListener('abort', onAbort, { once: true });
    client.once('ready', onReady).once('error', onError).once('close', onClose);
    client.connect(config);
  });
}

/**
 * Run `true` on a fresh connection: the server can run commands. A busy host may take longer
 * than the caller allows: `signal` rejects at once (the caller destroys the connection).
 */
function runTrue(client: Client, signal: AbortSignal): Promise<void> {
  return raceAbort(
    new Promise<void>((resolve, reject) => {
      client.exec('true', (error, channel) => {
        if (error) {
          reject(error);
          return;
        }
        let code: number | null = null;
        channel.on('exit', (c: number | null) => {
          code = c;
        });
        channel.on('close', () =>
          code === 0 ? resolve() : reject(new Error(`\`true\` exited with ${String(code)}`)),
        );
        channel.resume();
        channel.stderr.resume();
      });
    }),
    signal,
  );
}

/**
 * Connect, authenticate and run `true`. With `endpoint.waitReadyMs`, retry (backoff from 100 ms
 * up to 2 s) until that much time has passed; host key errors are never retried.
 */
export async function connectReady(
  endpoint: SshEndpoint,
  tuning: ConnectTuning,
  signal: AbortSignal,
): Promise<Client> {
  const deadline = Date.now() + (endpoint.waitReadyMs ?? 0);
  let backoff = 100;
  for (;;) {
    let client: Client | undefined;
    try {
      client = await connectOnce(endpoint, tuning, signal);
      await runTrue(client, signal);
      return client;
    } catch (error) {
      client?.destroy();
      if (error instanceof SshHostKeyError || signal.aborted || Date.now() >= deadline) {
        if (signal.aborted) throw signal.reason;
        throw error instanceof SshError || error instanceof SshHostKeyError
          ? error
          : new SshError(`ssh ${endpoint.host}:${endpoint.port}: ${describeCause(error)}`, {
              cause: error,
            });
      }
      await delay(Math.min(backoff, Math.max(0, deadline - Date.now())), signal);
      backoff = Math.min(backoff * 2, 2000);
    }
  }
}
