import { once } from 'node:events';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { reservePort, reservedPorts } from '../../src/qemu/ports.js';

describe('reservePort', () => {
  it('hands out distinct ports, held until handOff and reserved until release', async () => {
    const reservations = await Promise.all(Array.from({ length: 8 }, () => reservePort()));
    const ports = reservations.map((r) => r.port);
    expect(new Set(ports).size).toBe(8);
    for (const port of ports) expect(reservedPorts().has(port)).toBe(true);

    const first = reservations[0];
    if (!first) throw new Error('no reservation');
    // Held: nobody else can bind it.
    const intruder = createServer();
    intruder.listen(first.port, '127.0.0.1');
    const [error] = await once(intruder, 'error');
    expect(error).toMatchObject({ code: 'EADDRINUSE' });

    // Handed off: free for QEMU to bind, but still not handed out again.
    await first.handOff();
    const qemu = createServer();
    qemu.listen(first.port, '127.0.0.1');
    await once(qemu, 'listening');
    qemu.close();
    expect(reservedPorts().has(first.port)).toBe(true);

    await Promise.all(reservations.map((r) => r.release()));
    await first.release();
    for (const port of ports) expect(reservedPorts().has(port)).toBe(false);
  });
});
