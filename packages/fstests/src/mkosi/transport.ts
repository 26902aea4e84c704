import { randomInt } from 'node:crypto';
import { MkosiTransportError } from './errors.js';
import { hasVhostVsock } from './vsock.js';

/** How fast-fstests reaches an mkosi VM's SSH server. */
export type MkosiTransport = 'auto' | 'vsock' | 'tcp';

/**
 * Pick the transport: `auto` is vsock when `/dev/vhost-vsock` is usable, else the TCP
 * port-forward fallback. An explicit `vsock` without the device is an error, unless a custom
 * proxy command is configured (it may reach the guest another way).
 */
export async function resolveTransport(
  transport: MkosiTransport,
  options: { device?: string; customProxy?: boolean } = {},
): Promise<'vsock' | 'tcp'> {
  if (transport === 'tcp') return 'tcp';
  const present = await hasVhostVsock(options.device);
  if (transport === 'auto') return present ? 'vsock' : 'tcp';
  if (!present && !options.customProxy) {
    throw new MkosiTransportError(
      `transport "vsock" needs ${options.device ?? '/dev/vhost-vsock'} (load the vhost_vsock module, or use transport "tcp" / "auto")`,
    );
  }
  return 'vsock';
}

/**
 * A random vsock CID for one VM. Passing our own CID per VM avoids the collisions of
 * `VSockCID=hash` between parallel VMs of one image; 0-2 are reserved, and the range stays far
 * from the small CIDs other tools tend to pick.
 */
export function randomVsockCid(): number {
  return randomInt(0x10000, 0x7fffffff);
}
