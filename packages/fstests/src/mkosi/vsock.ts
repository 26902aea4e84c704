import { type ChildProcess, spawn } from 'node:child_process';
import { access } from 'node:fs/promises';
import { Duplex } from 'node:stream';

/** The device QEMU needs for vsock; without it mkosi adds no vsock device. */
export const VHOST_VSOCK_DEVICE = '/dev/vhost-vsock';

/** Builds the proxy command line for a CID and port. */
export type ProxyCommand = (cid: number, port: number) => readonly [string, ...string[]];

/** `socat - VSOCK-CONNECT:<cid>:<port>`, what `mkosi ssh` uses. */
export const defaultProxyCommand: ProxyCommand = (cid, port) => [
  'socat',
  '-',
  `VSOCK-CONNECT:${cid}:${port}`,
];

/** True when `/dev/vhost-vsock` (or `device`) can be opened for reading and writing. */
export async function hasVhostVsock(device = VHOST_VSOCK_DEVICE): Promise<boolean> {
  try {
    await access(device, 6);
    return true;
  } catch {
    return false;
  }
}

/**
 * Spawns proxy processes whose stdio carry a connection to a guest port (Node has no AF_VSOCK)
 * and kills the ones still running on `closeAll`.
 */
export class ProxyPool {
  readonly #children = new Set<ChildProcess>();

  /**
   * @param command the proxy command line (default `socat - VSOCK-CONNECT:<cid>:<port>`)
   * @param env the proxies' environment (default `process.env`)
   */
  constructor(
    readonly command: ProxyCommand = defaultProxyCommand,
    readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  /**
   * Start one proxy to `cid`:`port` and return a duplex stream over its stdin/stdout (give it
   * to ssh2 as `sock`). Destroying the stream kills the proxy. Rejects if it cannot be spawned.
   */
  open(cid: number, port = 22): Promise<Duplex> {
    const [file, ...args] = this.command(cid, port);
    const child = spawn(file, args, { env: this.env, stdio: ['pipe', 'pipe', 'ignore'] });
    this.#children.add(child);
    child.once('exit', () => this.#children.delete(child));
    return new Promise((resolve, reject) => {
      child.once('error', (error) => {
        this.#children.delete(child);
        reject(error);
      });
      child.once('spawn', () => {
        const { stdin, stdout } = child;
        if (!stdin || !stdout) {
          child.kill('SIGKILL');
          reject(new Error(`${file}: no stdio`));
          return;
        }
        const stream = Duplex.from({ readable: stdout, writable: stdin });
        stream.once('close', () => child.kill('SIGTERM'));
        child.once('exit', () => stream.destroy());
        resolve(stream);
      });
    });
  }

  /** Process ids of the proxies still running. */
  get pids(): number[] {
    return [...this.#children].flatMap((child) => (child.pid === undefined ? [] : [child.pid]));
  }

  /** Kill every proxy still running and wait for them to exit. */
  async closeAll(): Promise<void> {
    await Promise.all(
      [...this.#children].map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGKILL');
          }),
      ),
    );
    this.#children.clear();
  }
}
