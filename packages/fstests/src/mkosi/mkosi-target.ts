import { once } from 'node:events';
import { connect as netConnect } from 'node:net';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { raceAbort } from '@ff/parallelrunner';
import type { SshEndpoint, SshTarget, SshTargetEvents } from '@ff/parallelrunner/ssh';
import { ConsoleWatcher } from '../qemu/console.js';
import { type PortReservation, reservePort } from '../qemu/ports.js';
import type { GroupProcess } from '../qemu/process-group.js';
import { waitForSshBanner } from './banner.js';
import { type MkosiNetwork, buildVmArgs, machineName } from './command.js';
import { detectMkosiCached } from './detect-cache.js';
import { MkosiExitedError, MkosiNotBuiltError, MkosiTransportError } from './errors.js';
import { loadSshKey } from './key.js';
import { removeMachineLeftovers } from './leftovers.js';
import { spawnMkosi, stopMkosi } from './spawn.js';
import {
  cidFromProxyCommand,
  machineStateDir,
  machineStatePath,
  waitForMachineState,
} from './state-file.js';
import { tailLines } from './tail.js';
import { type MkosiTransport, randomVsockCid, resolveTransport } from './transport.js';
import { type ProxyCommand, ProxyPool } from './vsock.js';

/** Options of `MkosiTarget` (and `MkosiSupervisor`). */
export interface MkosiTargetOptions {
  /** The mkosi config directory (holding mkosi.conf); mkosi runs there. */
  readonly configDir: string;
  /** VM number `n` in the machine name `ff-<n>-<random>`. Default 1. */
  readonly index?: number;
  /** Options for every mkosi invocation (the same as the build's). Default none. */
  readonly options?: readonly string[];
  /** Extra config files, each passed as `--include=PATH`. Default none. */
  readonly include?: readonly string[];
  /** Extra QEMU arguments (e.g. `-device virtio-blk-pci,drive=scratch,serial=scratch`). */
  readonly qemuArgs?: readonly string[];
  /** The mkosi executable. Default `mkosi` (looked up on PATH). */
  readonly mkosiPath?: string;
  /** `auto` (default): vsock when /dev/vhost-vsock is usable, else TCP. */
  readonly transport?: MkosiTransport;
  /**
   * vsock CID: `random` (default) passes a fresh `--vsock-cid` per boot; `mkosi` lets mkosi
   * choose and reads it from the machine state file.
   */
  readonly vsockCid?: 'random' | 'mkosi';
  /** The vsock proxy command. Default `socat - VSOCK-CONNECT:<cid>:<port>`. */
  readonly proxyCommand?: ProxyCommand;
  /** The vhost-vsock device probed by `auto`. Default `/dev/vhost-vsock`. */
  readonly vsockDevice?: string;
  /** The SSH key. Default `<configDir>/mkosi.key` (PKCS#8 from `mkosi genkey`, converted). */
  readonly keyPath?: string;
  /** Append the VM console (mkosi's stdout and stderr) to this file. Default: not kept. */
  readonly consoleLogPath?: string;
  /** Extra environment for mkosi, over `process.env`. */
  readonly env?: NodeJS.ProcessEnv;
  /** Where mkosi writes machine state files. Default: from XDG_RUNTIME_DIR, as mkosi does. */
  readonly stateDir?: string;
  /**
   * Where mkosi creates drive files (`Drives=` without a directory), cleaned up should mkosi
   * have to be SIGKILLed. Default `/var/tmp`.
   */
  readonly driveDir?: string;
  /** After SIGTERM, give mkosi this long to clean up before SIGKILL. Default 15 000 ms. */
  readonly stopTimeoutMs?: number;
}

/** One boot of mkosi. */
interface Boot {
  readonly machine: string;
  readonly proc: GroupProcess;
  readonly console: ConsoleWatcher;
  readonly port: PortReservation | undefined;
  readonly statePath: string;
  closing: boolean;
}

/**
 * Boots one VM with `mkosi --machine ff-<n>-<random> ... vm` and says how to reach its SSH
 * server: over vsock through a proxy (socat) or over a TCP port forward. Reports a kernel crash
 * on the console, or mkosi exiting, through `events.died`.
 */
export class MkosiTarget implements SshTarget {
  readonly #o: MkosiTargetOptions;
  readonly #proxies: ProxyPool;
  readonly #env: NodeJS.ProcessEnv;
  #boot: Boot | undefined;

  constructor(options: MkosiTargetOptions) {
    this.#o = options;
    this.#env = { ...process.env, ...options.env };
    this.#proxies = new ProxyPool(options.proxyCommand, this.#env);
  }

  /** The machine name of the current boot, if any. */
  get machine(): string | undefined {
    return this.#boot?.machine;
  }

  /** The mkosi process id of the current boot, if any (it leads its own process group). */
  get pid(): number | undefined {
    return this.#boot?.proc.pid;
  }

  /** Process ids of the vsock proxies (socat) still running. */
  get proxyPids(): number[] {
    return this.#proxies.pids;
  }

  /** The machine state file path of the current boot, if any. */
  get statePath(): string | undefined {
    return this.#boot?.statePath;
  }

  /**
   * Boot a VM and resolve, once its SSH server answers, with how to reach it (as `root` with the
   * config's key, host key checking off). Rejects with a `MkosiError` when mkosi cannot be used or
   * exits early; after that, a console crash or an exit of mkosi is reported via `events.died`.
   */
  async open(signal: AbortSignal, events: SshTargetEvents): Promise<SshEndpoint> {
    const o = this.#o;
    const mkosiPath = o.mkosiPath ?? 'mkosi';
    const env = this.#env;
    const features = await raceAbort(detectMkosiCached(mkosiPath, env), signal);
    const privateKey = await loadSshKey(o.keyPath ?? join(o.configDir, 'mkosi.key'));
    const transport = await resolveTransport(o.transport ?? 'auto', {
      ...(o.vsockDevice ? { device: o.vsockDevice } : {}),
      customProxy: o.proxyCommand !== undefined,
    });
    signal.throwIfAborted();
    const machine = machineName(o.index ?? 1);
    const port = transport === 'tcp' ? await reservePort() : undefined;
    const network: MkosiNetwork = port
      ? { kind: 'tcp', port: port.port }
      : {
          kind: 'vsock',
          ...((o.vsockCid ?? 'random') === 'random' ? { cid: randomVsockCid() } : {}),
        };
    const args = buildVmArgs({
      features,
      machine,
      network,
      ...(o.options ? { options: o.options } : {}),
      ...(o.include ? { include: o.include } : {}),
      ...(o.qemuArgs ? { qemuArgs: o.qemuArgs } : {}),
    });
    const console = new ConsoleWatcher({
      ...(o.consoleLogPath ? { logPath: o.consoleLogPath } : {}),
      // Report a panic before the SSH connection drops with the dying VM, so that the failing
      // command's error carries the console excerpt.
      settleMs: 20,
      onCrash: (crash) => events.died(`kernel crash on the console: ${crash.line}`, crash.excerpt),
    });
    await port?.handOff();
    let proc: GroupProcess;
    try {
      proc = await spawnMkosi(mkosiPath, args, { cwd: o.configDir, env });
    } catch (error) {
      await Promise.all([port?.release(), console.close()]);
      throw error;
    }
    const statePath = machineStatePath(machine, o.stateDir ?? machineStateDir(env));
    const boot: Boot = { machine, proc, console, port, statePath, closing: false };
    this.#boot = boot;
    proc.child.stdout?.on('data', (chunk: Buffer) => console.write(chunk));
    proc.child.stderr?.on('data', (chunk: Buffer) => console.write(chunk));

    const earlyExit = this.#whenExited(boot).then((error) => Promise.reject(error));
    earlyExit.catch(() => undefined);
    const cid =
      network.kind === 'vsock'
        ? (network.cid ?? (await this.#cidFromState(boot, signal, earlyExit)))
        : undefined;
    const connect =
      cid === undefined
        ? () => this.#tcpConnect(port?.port ?? 22)
        : () => this.#proxies.open(cid, 22);
    await Promise.race([waitForSshBanner(connect, signal), earlyExit]);

    // From now on an exit of mkosi means the VM died.
    void this.#whenExited(boot).then((error) => {
      if (!boot.closing) events.died(error.message, boot.console.tail());
    });
    return {
      host: cid === undefined ? '127.0.0.1' : `vsock/${cid}`,
      port: port?.port ?? 22,
      username: 'root',
      privateKey,
      ...(cid === undefined ? {} : { sock: connect }),
      hostKey: { mode: 'off' },
      waitReadyMs: 30_000,
    };
  }

  /**
   * Stop the current boot, if any: SIGTERM to mkosi's process group, SIGKILL after
   * `stopTimeoutMs`; then end the vsock proxies and release the TCP port.
   */
  async close(): Promise<void> {
    const boot = this.#boot;
    this.#boot = undefined;
    if (!boot) return;
    boot.closing = true;
    const exit = await stopMkosi(boot.proc, this.#o.stopTimeoutMs ?? 15_000);
    // A SIGKILLed mkosi cannot remove its state file and drive files.
    if (exit.signal === 'SIGKILL') {
      await removeMachineLeftovers(boot.machine, boot.statePath, this.#o.driveDir);
    }
    await Promise.all([this.#proxies.closeAll(), boot.port?.release(), boot.console.close()]);
  }

  /** Resolves, once mkosi exited and its output is read, with the error that explains it. */
  async #whenExited(boot: Boot): Promise<Error> {
    const closed = once(boot.proc.child, 'close').catch(() => undefined);
    const exit = await boot.proc.exited;
    await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 2000).unref())]);
    boot.console.flush();
    const tail = tailLines(boot.console.tail(), 30);
    if (/has not been built yet/.test(tail)) return new MkosiNotBuiltError(tail);
    return new MkosiExitedError(boot.machine, exit.code, exit.signal, tail);
  }

  async #cidFromState(boot: Boot, signal: AbortSignal, earlyExit: Promise<never>): Promise<number> {
    const state = await Promise.race([waitForMachineState(boot.statePath, signal), earlyExit]);
    const cid = state.proxyCommand ? cidFromProxyCommand(state.proxyCommand) : undefined;
    if (cid === undefined) {
      throw new MkosiTransportError(`no vsock CID in the ProxyCommand of ${boot.statePath}`);
    }
    return cid;
  }

  #tcpConnect(port: number): Promise<Duplex> {
    return new Promise((resolve, reject) => {
      const socket = netConnect({ host: '127.0.0.1', port });
      socket.once('connect', () => {
        socket.removeListener('error', reject);
        resolve(socket);
      });
      socket.once('error', reject);
    });
  }
}
