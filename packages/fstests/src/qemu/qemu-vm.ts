import { mkdtemp, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { SshEndpoint, SshTarget, SshTargetEvents } from '@ff/parallelrunner/ssh';
import { type AccelMode, detectAccel } from './accel.js';
import { ConsoleWatcher } from './console.js';
import {
  type ScratchDrive,
  createScratchDrives,
  imageFormat,
  removeScratchDrives,
} from './drives.js';
import { QemuOptionError } from './errors.js';
import { type LaunchedQemu, launchQemu } from './launch.js';
import { type ScratchDriveSpec, guestDisks } from './layout.js';
import { exitWithin, terminateGroup } from './process-group.js';
import { defaultAppend } from './qemu-args.js';
import { qmpExecute } from './qmp.js';

/** Options of `QemuVm`. */
export interface QemuVmOptions {
  /** VM name, used in messages and temp file names. */
  readonly name: string;
  /** Kernel image (bzImage) passed with `-kernel`. */
  readonly kernel: string;
  /** Initramfs passed with `-initrd`. */
  readonly initrd?: string;
  /** Root disk image, booted as an ephemeral snapshot (`snapshot=on`; the file is never written). */
  readonly image?: string;
  /** Kernel command line. Default `console=ttyS0 panic=-1` (+ `root=/dev/vda rw` with `image`). */
  readonly append?: string;
  /** Guest memory in MiB. Default 1024. */
  readonly memoryMb?: number;
  /** Guest CPUs. Default 1. */
  readonly cpus?: number;
  /** Default `auto` (KVM when a probe boot works, else TCG). */
  readonly accel?: AccelMode;
  /**
   * Scratch drives, created fresh for every boot and deleted on close. Default none. The guest
   * sees them after the root image, in this order (see `guestDisks`).
   */
  readonly scratchDrives?: readonly ScratchDriveSpec[];
  /** Appended to the QEMU command line. Default none. */
  readonly extraArgs?: readonly string[];
  /** Private key file for SSH (OpenSSH or PEM). */
  readonly sshKeyPath: string;
  /** Default `root`. */
  readonly username?: string;
  /**
   * The guest's SSH host public key (`ssh-ed25519 AAAA...`): verified through a per-boot
   * known_hosts file. Default: host key checking off (an ephemeral VM).
   */
  readonly hostPublicKey?: string;
  /** Append the serial console to this file. Default: not saved. */
  readonly consoleLogPath?: string;
  /**
   * Where scratch drive files go (named after the VM and boot, deleted on close). Default: the
   * per-boot temp dir under `os.tmpdir()` that also holds the QMP socket and known_hosts.
   */
  readonly driveDir?: string;
  /** Default `qemu-system-x86_64`. */
  readonly qemuBinary?: string;
  /** How long to wait for QEMU to quit over QMP before SIGTERM (then SIGKILL). Default 3000. */
  readonly stopTimeoutMs?: number;
  /** How long SSH readiness polling may take (`SshEndpoint.waitReadyMs`). Default 180000. */
  readonly waitReadyMs?: number;
  /** Receives one-line notices (e.g. that KVM is not usable and TCG is used). */
  readonly onNotice?: (message: string) => void;
}

/** Why a VM died, as reported through `SshTargetEvents.died`. */
export interface VmDeath {
  readonly reason: string;
  readonly evidence: string;
}

interface Session {
  readonly dir: string;
  readonly console: ConsoleWatcher;
  drives: ScratchDrive[];
  qemu?: LaunchedQemu;
  closing?: Promise<void>;
  death?: VmDeath;
  readonly deathListeners: Set<(death: VmDeath) => void>;
}

/**
 * One QEMU VM as an `SshTarget`: `open` boots it (in its own process group, console captured
 * and watched for crashes, SSH forwarded from a free 127.0.0.1 port) and says how to reach it;
 * `close` quits it (QMP `quit`, then SIGTERM, then SIGKILL of the group) and deletes its drive
 * files. A crash line on the console or an unexpected QEMU exit is reported through
 * `events.died` at once, with the console tail as evidence. `open` after `close` boots afresh.
 */
export class QemuVm implements SshTarget, AsyncDisposable {
  /** The VM's name (`QemuVmOptions.name`). */
  readonly name: string;
  readonly #o: QemuVmOptions;
  #session: Session | undefined;

  constructor(options: QemuVmOptions) {
    const memoryMb = options.memoryMb ?? 1024;
    const cpus = options.cpus ?? 1;
    if (!Number.isInteger(memoryMb) || memoryMb < 64) {
      throw new QemuOptionError(`memoryMb: expected an integer >= 64, got ${memoryMb}`);
    }
    if (!Number.isInteger(cpus) || cpus < 1) {
      throw new QemuOptionError(`cpus: expected an integer >= 1, got ${cpus}`);
    }
    guestDisks(options); // sizes and serials are checked before anything boots
    this.name = options.name;
    this.#o = options;
  }

  /** PID (and process group id) of the running QEMU, if any. */
  get pid(): number | undefined {
    return this.#session?.qemu?.proc.pid;
  }

  /** The forwarded SSH port on 127.0.0.1, while running. */
  get sshPort(): number | undefined {
    return this.#session?.qemu?.port.port;
  }

  /** Paths of the current scratch drive files. */
  get drivePaths(): readonly string[] {
    return this.#session?.drives.map((d) => d.path) ?? [];
  }

  /** The last console lines of the current (or last) boot. */
  consoleTail(): string {
    return this.#session?.console.tail() ?? '';
  }

  /**
   * Why the current boot died, waiting up to `ms` for the report (a dropped SSH connection is
   * often noticed a moment before QEMU's exit or the console's crash line is processed).
   * Resolves undefined when the VM did not die within `ms`, or is not running.
   */
  waitForDeath(ms: number): Promise<VmDeath | undefined> {
    const session = this.#session;
    if (!session || session.closing) return Promise.resolve(undefined);
    if (session.death) return Promise.resolve(session.death);
    return new Promise((resolve) => {
      const done = (death: VmDeath | undefined) => {
        clearTimeout(timer);
        session.deathListeners.delete(done);
        resolve(death);
      };
      const timer = setTimeout(() => done(undefined), ms);
      session.deathListeners.add(done);
    });
  }

  /**
   * Boot the VM (closing a previous boot first) and resolve with how to reach its SSH server on
   * 127.0.0.1; a later crash or QEMU exit goes to `events.died`. On failure everything acquired
   * is released before the promise rejects.
   */
  async open(signal: AbortSignal, events: SshTargetEvents): Promise<SshEndpoint> {
    if (this.#session) await this.close();
    signal.throwIfAborted();
    const o = this.#o;
    const { accel, notice } = await detectAccel(o.accel ?? 'auto', {
      signal,
      kernel: o.kernel,
      ...(o.qemuBinary ? { qemuBinary: o.qemuBinary } : {}),
    });
    if (notice) o.onNotice?.(`${this.name}: ${notice}`);
    const privateKey = await readFile(o.sshKeyPath);
    const dir = await mkdtemp(join(tmpdir(), `ff-qemu-${safeName(this.name)}-`));
    const session: Session = {
      dir,
      drives: [],
      deathListeners: new Set(),
      console: new ConsoleWatcher({
        ...(o.consoleLogPath ? { logPath: o.consoleLogPath } : {}),
        onCrash: (crash) => report(`kernel crash on the console: ${crash.line}`, crash.excerpt),
      }),
    };
    const report = (reason: string, evidence: string) => {
      if (session.closing || session.death) return;
      const death = { reason, evidence };
      session.death = death;
      events.died(reason, evidence);
      for (const listener of session.deathListeners) listener(death);
    };
    this.#session = session;
    try {
      session.drives = await createScratchDrives(
        o.driveDir ?? dir,
        o.scratchDrives ?? [],
        `${basename(dir)}-scratch`,
      );
      const qemu = await launchQemu({
        vm: this.name,
        binary: o.qemuBinary ?? 'qemu-system-x86_64',
        console: session.console,
        signal,
        orphanDir: dir,
        spec: {
          accel,
          memoryMb: o.memoryMb ?? 1024,
          cpus: o.cpus ?? 1,
          kernel: o.kernel,
          ...(o.initrd ? { initrd: o.initrd } : {}),
          ...(o.image ? { image: o.image, imageFormat: await imageFormat(o.image) } : {}),
          append: o.append ?? defaultAppend(o),
          qmpSocket: qmpSocketIn(dir),
          drives: session.drives,
          extraArgs: o.extraArgs ?? [],
        },
      });
      session.qemu = qemu;
      void qemu.closed.then(async () => {
        session.console.flush();
        const exit = await qemu.proc.exited;
        const how = exit.signal ? `signal ${exit.signal}` : `code ${exit.code}`;
        const stderr = qemu.stderrTail();
        report(`QEMU exited (${how})`, [session.console.tail(), stderr].filter(Boolean).join('\n'));
      });
      return await this.#endpoint(dir, qemu.port.port, privateKey);
    } catch (error) {
      await this.close();
      throw error;
    }
  }

  async #endpoint(dir: string, port: number, privateKey: Buffer): Promise<SshEndpoint> {
    const o = this.#o;
    const base = {
      host: '127.0.0.1',
      port,
      username: o.username ?? 'root',
      privateKey,
      waitReadyMs: o.waitReadyMs ?? 180_000,
    };
    if (!o.hostPublicKey) return { ...base, hostKey: { mode: 'off' } };
    const knownHosts = join(dir, 'known_hosts');
    await writeFile(knownHosts, `[127.0.0.1]:${port} ${o.hostPublicKey.trim()}\n`);
    return { ...base, hostKey: { mode: 'known-hosts', files: [knownHosts] } };
  }

  /**
   * Stop the current boot (QMP `quit`; after `stopTimeoutMs` SIGTERM to its process group, 3 s
   * later SIGKILL) and delete its drive files and temp dir. Idempotent.
   */
  async close(): Promise<void> {
    const session = this.#session;
    if (!session) return;
    session.closing ??= this.#teardown(session);
    await session.closing;
    if (this.#session === session) this.#session = undefined;
  }

  async #teardown(session: Session): Promise<void> {
    const qemu = session.qemu;
    try {
      if (qemu && !qemu.proc.exit) {
        await qmpExecute(qmpSocketIn(session.dir), 'quit', { timeoutMs: 2000 }).catch(
          () => undefined,
        );
        const exited = await exitWithin(qemu.proc, this.#o.stopTimeoutMs ?? 3000);
        if (!exited) await terminateGroup(qemu.proc, 3000);
      }
    } finally {
      await qemu?.port.release();
      await session.console.close();
      await removeScratchDrives(session.drives);
      // The socket goes first, by unlink: a recursive rm stats each entry, and after a sync stat
      // of a socket Node's module resolver can misresolve symlinked packages (pnpm's layout).
      await unlink(qmpSocketIn(session.dir)).catch(() => undefined);
      await rm(session.dir, { recursive: true, force: true });
    }
  }

  /** Same as `close()`, for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

/** Where QEMU's QMP monitor listens, in a VM's temp dir. */
function qmpSocketIn(dir: string): string {
  return join(dir, 'qmp.sock');
}

function safeName(name: string): string {
  return name.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 40);
}
