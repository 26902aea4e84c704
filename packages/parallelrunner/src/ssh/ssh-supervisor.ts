import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import type { Client } from 'ssh2';
import { BaseSupervisor } from '../base-supervisor.js';
import {
  InvalidOptionError,
  ParallelRunnerError,
  SupervisorDiedError,
  SupervisorNotStartedError,
  SupervisorStartError,
  describeCause,
} from '../errors.js';
import type {
  CollectedArtifact,
  ExecOptions,
  ExecResult,
  ProbeOptions,
  StartOptions,
  TraceHandle,
} from '../supervisor.js';
import type { CommandSpec } from '../test.js';
import { raceAbort } from '../util/abort.js';
import { type ConnectTuning, connectOnce, connectReady } from './connect.js';
import { DispatcherPool } from './dispatcher-pool.js';
import { SshError } from './errors.js';
import { RemoteCommand, killGroupCommand, runQuiet } from './remote-command.js';
import type { RunningCommand } from './running-command.js';
import { collectOverSftp } from './sftp-collect.js';
import type { SshSupervisorOptions } from './ssh-supervisor-options.js';
import type { SshEndpoint, SshTarget } from './target.js';
import { within } from './within.js';

export type { SshSupervisorOptions } from './ssh-supervisor-options.js';

interface Connection {
  readonly client: Client;
  /** Long-lived command loops, with `dispatch: 'persistent'`. */
  readonly pool: DispatcherPool | undefined;
  /** Aborts, with a `SupervisorDiedError`, when this connection is lost. */
  readonly lost: AbortController;
  /** The connection closed (`lost` aborts then, or after `deathReportGraceMs`). */
  closed: boolean;
}

/** Give a killed command this long to end before abandoning it (closing what carries it). */
const KILL_GRACE_MS = 3000;

/**
 * A supervisor on one ssh2 connection: commands on long-lived dispatcher channels or a channel
 * each (each command in its own remote process group, killed on timeout and cancel), SFTP
 * artifacts, background traces, keepalives and one reconnect attempt after a dropped
 * connection. What the far end is comes from an `SshTarget`.
 */
export class SshSupervisor extends BaseSupervisor {
  readonly #target: SshTarget;
  readonly #tuning: ConnectTuning;
  readonly #reconnect: boolean;
  readonly #maxDispatchers: number;
  #endpoint: SshEndpoint | undefined;
  #conn: Connection | undefined;
  #dead: SupervisorDiedError | undefined;
  #reconnecting: Promise<Connection> | undefined;
  readonly #deathReportGraceMs: number;
  readonly #startTimeoutMs: number | undefined;
  /** Aborted by a death report while a start is in flight, to fail it at once. */
  #booting: AbortController | undefined;
  readonly #running = new Set<RunningCommand>();
  /** Process groups left running on the far end when the connection dropped. */
  #orphans: number[] = [];

  constructor(options: SshSupervisorOptions) {
    super(options.name);
    this.#target = options.target;
    this.#reconnect = options.reconnect ?? true;
    this.#deathReportGraceMs = options.deathReportGraceMs ?? 0;
    this.#startTimeoutMs = options.startTimeoutMs;
    const max = options.maxDispatchers ?? 4;
    if (!Number.isInteger(max) || max < 1) {
      throw new InvalidOptionError(`maxDispatchers: expected an integer >= 1, got ${max}`);
    }
    this.#maxDispatchers = options.dispatch === 'channel' ? 0 : max;
    this.#tuning = {
      keepaliveIntervalMs: options.keepaliveIntervalMs ?? 5000,
      keepaliveCountMax: options.keepaliveCountMax ?? 3,
    };
  }

  /** Starts within the shorter of `startTimeoutMs` and the caller's timeout. */
  override start(options: StartOptions = {}): Promise<void> {
    const own = this.#startTimeoutMs;
    if (own === undefined) return super.start(options);
    return super.start({ ...options, timeoutMs: Math.min(own, options.timeoutMs ?? own) });
  }

  /** Open the target, connect (polling until ready when the endpoint says so) and attach. */
  protected async doStart(signal: AbortSignal): Promise<void> {
    this.#dead = undefined;
    // The far end may have been rebooted since: old process-group ids mean nothing there.
    this.#orphans = [];
    // A far end that dies while starting (a VM whose QEMU exits, or whose kernel panics) fails
    // the start at once, with its evidence, instead of waiting out the readiness polling.
    const booting = new AbortController();
    this.#booting = booting;
    const starting = AbortSignal.any([signal, booting.signal]);
    try {
      const endpoint = await raceAbort(
        this.#target.open(starting, {
          died: (reason, evidence) => this.#markDead(reason, evidence),
        }),
        starting,
      );
      this.#endpoint = endpoint;
      const client = await connectReady(endpoint, this.#tuning, starting);
      if (starting.aborted) {
        // Given up meanwhile (the start timed out): a connection kept now would never close.
        client.destroy();
        throw starting.reason;
      }
      this.#conn = this.#attach(client);
      if (this.#dead) throw this.#dead;
    } catch (error) {
      if (booting.signal.aborted && !signal.aborted) throw booting.signal.reason;
      throw error;
    } finally {
      this.#booting = undefined;
    }
  }

  /** Kill running commands' groups, close the connection, then close the target. */
  protected async doStop(): Promise<void> {
    const conn = this.#conn;
    this.#conn = undefined;
    this.#endpoint = undefined;
    try {
      if (conn && !conn.lost.signal.aborted) {
        await Promise.all([...this.#running].map((cmd) => this.#terminate(conn.client, cmd)));
        conn.pool?.close();
        conn.lost.abort(new SupervisorDiedError(this.name, 'stopped'));
        const closed = once(conn.client, 'close');
        conn.client.end();
        if ((await within(closed, 2000)) === undefined) conn.client.destroy();
      }
    } finally {
      this.#running.clear();
      await this.#target.close();
    }
  }

  #attach(client: Client): Connection {
    const pool =
      this.#maxDispatchers > 0
        ? new DispatcherPool(client, { max: this.#maxDispatchers })
        : undefined;
    const conn: Connection = { client, pool, lost: new AbortController(), closed: false };
    client.on('close', () => {
      conn.closed = true;
      if (this.#conn === conn) this.#conn = undefined;
      // A dropped connection does not stop remote commands: remember their groups, so that a
      // reconnect to the same running system can kill them.
      for (const cmd of this.#running) {
        if (cmd.knownPgid !== undefined) this.#orphans.push(cmd.knownPgid);
      }
      const lost = () =>
        conn.lost.abort(this.#dead ?? new SupervisorDiedError(this.name, 'ssh connection lost'));
      // `#markDead` aborts `lost` itself when the target reports the death within the grace.
      if (this.#dead || this.#deathReportGraceMs <= 0) lost();
      else setTimeout(lost, this.#deathReportGraceMs).unref();
    });
    return conn;
  }

  #markDead(reason: string, evidence?: string): void {
    this.#dead = new SupervisorDiedError(this.name, reason, evidence ? { evidence } : {});
    this.#booting?.abort(
      new SupervisorStartError(this.name, evidence ? `${reason}\n${evidence}` : reason),
    );
    const conn = this.#conn;
    this.#conn = undefined;
    conn?.lost.abort(this.#dead);
    conn?.client.destroy();
  }

  /** The live connection, after one reconnect attempt if it dropped. */
  async #connection(operation: string): Promise<Connection> {
    if (this.#dead) throw this.#dead;
    if (this.#conn) return this.#conn;
    const endpoint = this.#endpoint;
    if (this.state !== 'ready' || endpoint === undefined) {
      throw new SupervisorNotStartedError(this.name, operation);
    }
    if (!this.#reconnect) throw new SupervisorDiedError(this.name, 'ssh connection lost');
    this.#reconnecting ??= (async () => {
      try {
        const signal = AbortSignal.timeout(20_000);
        const conn = this.#attach(await connectOnce(endpoint, this.#tuning, signal));
        const orphans = this.#orphans.splice(0);
        await Promise.all(
          orphans.map((pgid) => runQuiet(conn.client, killGroupCommand(pgid)).catch(() => 0)),
        );
        this.#conn = conn;
        return conn;
      } catch (cause) {
        this.#dead = new SupervisorDiedError(
          this.name,
          `ssh connection lost and reconnect failed: ${describeCause(cause)}`,
          { cause },
        );
        throw this.#dead;
      } finally {
        this.#reconnecting = undefined;
      }
    })();
    return this.#reconnecting;
  }

  /** Kill `cmd`'s remote process group; abandon it if it does not end soon after. */
  async #terminate(client: Client, cmd: RunningCommand): Promise<void> {
    const pgid = await within(Promise.race([cmd.pgid, cmd.exit.then(() => undefined)]), 5000);
    if (pgid !== undefined) await runQuiet(client, killGroupCommand(pgid)).catch(() => undefined);
    if ((await within(cmd.exit, KILL_GRACE_MS)) === undefined) cmd.abandon();
  }

  /** `false` at once when the connection is known lost, else runs `true` on the far end. */
  override async probe(options: ProbeOptions = {}): Promise<boolean> {
    if (this.#dead || !this.#conn) return false;
    return super.probe(options);
  }

  /**
   * Run `spec` in its own remote process group; a timeout or cancel kills the group. Rejects
   * with `SupervisorDiedError` when the connection is lost (after `deathReportGraceMs`).
   */
  async exec(spec: CommandSpec, options: ExecOptions = {}): Promise<ExecResult> {
    const started = performance.now();
    const elapsed = () => performance.now() - started;
    const { signal, timeoutMs } = options;
    if (signal?.aborted) {
      return { exitCode: null, exitSignal: null, timedOut: false, canceled: true, durationMs: 0 };
    }
    const conn = await this.#connection('exec');
    const cmd = await this.#start(conn, spec, options);
    let timedOut = false;
    let canceled = false;
    const timer =
      timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            void this.#terminate(conn.client, cmd);
          }, timeoutMs);
    const onAbort = () => {
      canceled = !timedOut;
      void this.#terminate(conn.client, cmd);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    // Aborted while the command was being started: the listener will not fire.
    if (signal?.aborted) onAbort();
    try {
      const exit = await raceAbort(cmd.exit, conn.lost.signal);
      // A command cut off by a dropped connection ends without a status: that is a death
      // (reported once `lost` aborts, with the target's account when one arrives in time).
      if (conn.closed) {
        if (!conn.lost.signal.aborted) await once(conn.lost.signal, 'abort');
        throw conn.lost.signal.reason;
      }
      return { ...exit, timedOut, canceled, durationMs: elapsed() };
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      this.#running.delete(cmd);
    }
  }

  async #start(
    conn: Connection,
    spec: CommandSpec,
    handlers: Pick<ExecOptions, 'onStdout' | 'onStderr'>,
  ): Promise<RunningCommand> {
    const ignore = () => undefined;
    const onStdout = handlers.onStdout ?? ignore;
    const onStderr = handlers.onStderr ?? ignore;
    try {
      const cmd = conn.pool
        ? await conn.pool.start(spec, onStdout, onStderr)
        : await RemoteCommand.start(conn.client, spec, onStdout, onStderr);
      this.#running.add(cmd);
      return cmd;
    } catch (cause) {
      if (conn.lost.signal.aborted) throw conn.lost.signal.reason;
      if (cause instanceof ParallelRunnerError) throw cause;
      throw new SshError(`${this.name}: cannot open a channel: ${describeCause(cause)}`, { cause });
    }
  }

  /** Fetch files and directories over SFTP into `destDir`; missing paths are skipped. */
  async collect(
    paths: readonly string[],
    destDir: string,
    options: { signal?: AbortSignal } = {},
  ): Promise<CollectedArtifact[]> {
    const conn = await this.#connection('collect');
    try {
      return await raceAbort(
        collectOverSftp(conn.client, paths, destDir, options.signal),
        conn.lost.signal,
      );
    } catch (cause) {
      if (conn.lost.signal.aborted) throw conn.lost.signal.reason;
      if (options.signal?.aborted) throw options.signal.reason;
      throw new SshError(`${this.name}: collecting artifacts failed: ${describeCause(cause)}`, {
        cause,
      });
    }
  }

  /** Stream a background command's stdout and stderr into `destFile` until stopped. */
  async trace(
    command: string,
    destFile: string,
    options: { signal?: AbortSignal } = {},
  ): Promise<TraceHandle> {
    options.signal?.throwIfAborted();
    const conn = await this.#connection('trace');
    const out = createWriteStream(destFile);
    await once(out, 'open');
    const write = (chunk: Buffer) => out.write(chunk);
    let cmd: RunningCommand;
    try {
      cmd = await this.#start(conn, { command }, { onStdout: write, onStderr: write });
    } catch (error) {
      out.destroy();
      throw error;
    }
    const finished = cmd.exit.then(async () => {
      this.#running.delete(cmd);
      out.end();
      await once(out, 'close');
    });
    let stopping: Promise<void> | undefined;
    return {
      stop: () => {
        stopping ??= this.#terminate(conn.client, cmd).then(() => finished);
        return stopping;
      },
    };
  }
}
