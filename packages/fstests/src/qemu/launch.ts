import { once } from 'node:events';
import { raceAbort } from '@ff/parallelrunner';
import type { ConsoleWatcher } from './console.js';
import { QemuExitedError, QemuHostForwardError } from './errors.js';
import { type PortReservation, reservePort } from './ports.js';
import { type GroupProcess, spawnGroup, terminateGroup } from './process-group.js';
import { type QemuLaunchSpec, buildQemuArgs } from './qemu-args.js';

/** A running QEMU and the port its SSH forward listens on. */
export interface LaunchedQemu {
  readonly proc: GroupProcess;
  readonly port: PortReservation;
  /** Resolves once QEMU exited and its output was read to the end. */
  readonly closed: Promise<void>;
  /** The last QEMU stderr output (warnings and errors). */
  stderrTail(): string;
}

/** Options of `launchQemu`. */
export interface LaunchOptions {
  readonly vm: string;
  readonly binary: string;
  /** The spec without the port, which `launchQemu` allocates. */
  readonly spec: Omit<QemuLaunchSpec, 'sshPort'>;
  readonly console: ConsoleWatcher;
  readonly signal: AbortSignal;
  /** Port-forward attempts before giving up. Default 3. */
  readonly attempts?: number;
  /** The VM's temp dir (drives, QMP socket): removed if `ff` dies without stopping QEMU. */
  readonly orphanDir?: string;
}

const HOSTFWD_FAILED = /Could not set up host forwarding/i;

/**
 * Resolve true once QEMU printed something on the console (its devices, including the port
 * forward, are set up by then), false when it exited first.
 */
function started(proc: GroupProcess): Promise<boolean> {
  return new Promise((resolve) => {
    const onData = () => resolve(true);
    proc.child.stdout?.once('data', onData);
    void proc.exited.then(() => {
      proc.child.stdout?.removeListener('data', onData);
      resolve(false);
    });
  });
}

/**
 * Start QEMU in its own process group with a freshly reserved SSH port, its console fed to
 * `console`. Retries with another port when QEMU reports it could not set up the forward (a
 * port taken by another program between reservation and bind). Rejects with
 * `QemuExitedError` when QEMU exits before the guest printed anything.
 */
export async function launchQemu(options: LaunchOptions): Promise<LaunchedQemu> {
  const attempts = options.attempts ?? 3;
  let lastOutput = '';
  for (let attempt = 1; attempt <= attempts; attempt++) {
    options.signal.throwIfAborted();
    const port = await reservePort();
    let stderr = '';
    let proc: GroupProcess | undefined;
    try {
      await port.handOff();
      const args = buildQemuArgs({ ...options.spec, sshPort: port.port });
      proc = await spawnGroup(
        options.binary,
        args,
        options.orphanDir === undefined ? {} : { orphanDir: options.orphanDir },
      );
      const child = proc.child;
      const closed = once(child, 'close').then(
        () => undefined,
        () => undefined,
      );
      const isUp = started(proc);
      child.stdout?.on('data', (chunk: Buffer) => options.console.write(chunk));
      child.stderr?.on('data', (chunk: Buffer) => {
        stderr = (stderr + chunk.toString()).slice(-4000);
      });
      if (await raceAbort(isUp, options.signal)) {
        return { proc, port, closed, stderrTail: () => stderr.trim() };
      }
      await closed;
      const exit = await proc.exited;
      lastOutput = stderr.trim();
      await port.release();
      if (!HOSTFWD_FAILED.test(stderr)) {
        throw new QemuExitedError(options.vm, exit.code, exit.signal, lastOutput);
      }
    } catch (error) {
      if (proc) await terminateGroup(proc, 1000);
      await port.release();
      throw error;
    }
  }
  throw new QemuHostForwardError(options.vm, attempts, lastOutput);
}
