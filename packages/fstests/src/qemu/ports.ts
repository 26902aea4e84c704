import { once } from 'node:events';
import { type Server, createServer } from 'node:net';
import { QemuPortError } from './errors.js';

/** Ports handed out by this process and not yet released (parallel VMs never share one). */
const reserved = new Set<number>();

/** A TCP port held for one VM until `release`. */
export interface PortReservation {
  /** The address the port was reserved on (default 127.0.0.1). */
  readonly host: string;
  /** The reserved TCP port. */
  readonly port: number;
  /**
   * Stop listening so that QEMU can bind the port; call right before spawning QEMU. The port
   * stays reserved in this process until `release`.
   */
  handOff(): Promise<void>;
  /** Give the port back (after the VM stopped). Idempotent. */
  release(): Promise<void>;
}

async function listenEphemeral(host: string): Promise<Server> {
  const server = createServer();
  server.unref();
  server.listen(0, host);
  await once(server, 'listening');
  return server;
}

async function closeServer(server: Server): Promise<void> {
  if (!server.listening) return;
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/**
 * Reserve a free TCP port on `host` (default 127.0.0.1): the kernel picks one by listening on
 * port 0, and this process never hands out a port that another of its VMs still holds. The
 * listener keeps other programs off the port until `handOff`.
 */
export async function reservePort(host = '127.0.0.1'): Promise<PortReservation> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const server = await listenEphemeral(host);
    const address = server.address();
    const port = typeof address === 'object' && address !== null ? address.port : undefined;
    if (port === undefined || reserved.has(port)) {
      await closeServer(server);
      continue;
    }
    reserved.add(port);
    let released = false;
    return {
      host,
      port,
      handOff: () => closeServer(server),
      release: async () => {
        if (released) return;
        released = true;
        await closeServer(server);
        reserved.delete(port);
      },
    };
  }
  throw new QemuPortError(host, 50);
}

/** Ports currently reserved by this process (for diagnostics and tests). */
export function reservedPorts(): ReadonlySet<number> {
  return reserved;
}
