import { once } from 'node:events';
import { type Socket, createConnection } from 'node:net';
import { describeCause } from '@ff/parallelrunner';
import { QmpError } from './errors.js';

/** Options of `qmpExecute`. */
export interface QmpOptions {
  /** Give up after this many milliseconds. Default 3000. */
  readonly timeoutMs?: number;
  /** Give up (reject with `QmpError`) when this aborts. */
  readonly signal?: AbortSignal;
}

/** Read newline-delimited JSON messages from `socket`, skipping asynchronous events. */
async function* replies(socket: Socket): AsyncGenerator<Record<string, unknown>> {
  let buffered = '';
  for await (const chunk of socket) {
    buffered += String(chunk);
    let newline = buffered.indexOf('\n');
    while (newline >= 0) {
      const line = buffered.slice(0, newline).trim();
      buffered = buffered.slice(newline + 1);
      newline = buffered.indexOf('\n');
      if (!line) continue;
      const message: unknown = JSON.parse(line);
      if (typeof message === 'object' && message !== null && !('event' in message)) {
        yield message as Record<string, unknown>;
      }
    }
  }
}

async function expectReturn(
  messages: AsyncGenerator<Record<string, unknown>>,
  what: string,
): Promise<void> {
  const next = await messages.next();
  if (next.done) throw new QmpError(`QMP: connection closed while waiting for ${what}`);
  if ('error' in next.value) {
    throw new QmpError(`QMP: ${what} failed: ${JSON.stringify(next.value.error)}`);
  }
}

/**
 * Run one QMP command (e.g. `quit`, `system_powerdown`) on the monitor socket at `socketPath`:
 * read the greeting, negotiate capabilities, execute, wait for the reply. For `quit` the
 * connection may close instead of replying; that counts as success.
 */
export async function qmpExecute(
  socketPath: string,
  command: string,
  options: QmpOptions = {},
): Promise<void> {
  const signals = [AbortSignal.timeout(options.timeoutMs ?? 3000)];
  if (options.signal) signals.push(options.signal);
  const signal = AbortSignal.any(signals);
  const socket = createConnection({ path: socketPath, signal });
  let sent = false;
  try {
    await once(socket, 'connect', { signal });
    const messages = replies(socket);
    const greeting = await messages.next();
    if (greeting.done || !('QMP' in greeting.value)) {
      throw new QmpError(`QMP: no greeting on ${socketPath}`);
    }
    socket.write(`${JSON.stringify({ execute: 'qmp_capabilities' })}\n`);
    await expectReturn(messages, 'qmp_capabilities');
    socket.write(`${JSON.stringify({ execute: command })}\n`);
    sent = true;
    await expectReturn(messages, command);
  } catch (error) {
    // QEMU may close the monitor before it answers `quit`: that is the expected outcome.
    if (command === 'quit' && sent && !signal.aborted) return;
    if (error instanceof QmpError) throw error;
    throw new QmpError(`QMP ${command} on ${socketPath}: ${describeCause(error)}`, {
      cause: error,
    });
  } finally {
    socket.destroy();
  }
}
