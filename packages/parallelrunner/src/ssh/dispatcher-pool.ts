import type { Client } from 'ssh2';
import type { CommandSpec } from '../test.js';
import { DispatchedCommand } from './dispatched-command.js';
import { Dispatcher } from './dispatcher.js';
import { RemoteCommand, innerCommand, killGroupCommand, runQuiet } from './remote-command.js';
import type { RunningCommand } from './running-command.js';
import { within } from './within.js';

/** Options of `DispatcherPool`. */
export interface DispatcherPoolOptions {
  /** Most dispatchers kept open at once; commands beyond run on channels of their own. */
  readonly max: number;
  /** How long a new dispatcher may take to report ready. Default 10000 ms. */
  readonly openTimeoutMs?: number;
}

/** Attempts of a request whose dispatcher died before the command started. */
const MAX_ATTEMPTS = 3;

/**
 * The dispatchers of one connection. A command goes to an idle dispatcher, or to a new one
 * while fewer than `max` are open, or else to an exec channel of its own (as when a dispatcher
 * cannot start: then the pool stops growing). A dispatcher whose loop dies is dropped (the
 * next command opens a replacement); a command that it had started is killed by process group,
 * one it had not started runs again on another dispatcher.
 */
export class DispatcherPool {
  readonly #client: Client;
  readonly #openTimeoutMs: number;
  #cap: number;
  readonly #open = new Set<Dispatcher>();
  #idle: Dispatcher[] = [];
  #opening = 0;
  #closed = false;

  constructor(client: Client, options: DispatcherPoolOptions) {
    this.#client = client;
    this.#cap = options.max;
    this.#openTimeoutMs = options.openTimeoutMs ?? 10_000;
  }

  /** Start `spec` (on a dispatcher when one is available) and stream its output. */
  async start(
    spec: CommandSpec,
    onStdout: (chunk: Buffer) => void,
    onStderr: (chunk: Buffer) => void,
  ): Promise<RunningCommand> {
    const text = innerCommand(spec);
    const dispatcher = await this.#acquire();
    if (!dispatcher) return RemoteCommand.start(this.#client, spec, onStdout, onStderr);
    const cmd = new DispatchedCommand(onStdout, onStderr);
    void this.#drive(cmd, dispatcher, text);
    return cmd;
  }

  /** End every idle dispatcher's loop and stop handing out dispatchers. */
  close(): void {
    this.#closed = true;
    for (const d of this.#open) if (!d.busy) d.close();
  }

  async #drive(cmd: DispatchedCommand, first: Dispatcher, text: string): Promise<void> {
    let dispatcher: Dispatcher | undefined = first;
    for (let attempt = 1; dispatcher !== undefined; attempt++) {
      const current: Dispatcher = dispatcher;
      cmd.onAbandon(() => this.#discard(current));
      const outcome = await current.run(text, cmd.stdout, cmd.stderr);
      if (outcome.kind === 'done') {
        this.#release(current);
        cmd.finish(outcome.exit);
        return;
      }
      this.#forget(current);
      if (cmd.finished) return;
      // Once the channel closed, all output arrived: no output means the command never ran.
      const started = await within(
        Promise.race([cmd.pgid.then(() => true), current.closed.then(() => cmd.received)]),
        5000,
      );
      if (started === false && attempt < MAX_ATTEMPTS) {
        dispatcher = await this.#acquire();
        if (dispatcher) continue;
      }
      // The command may still run in its own group: kill it now, or once its pgid arrives.
      const known = cmd.knownPgid;
      if (known !== undefined) await this.#kill(known);
      else void cmd.pgid.then((pgid) => this.#kill(pgid));
      cmd.finish(outcome.loopExit);
      return;
    }
  }

  async #acquire(): Promise<Dispatcher | undefined> {
    for (let d = this.#idle.pop(); d !== undefined; d = this.#idle.pop()) {
      if (d.alive) return d;
      this.#open.delete(d);
    }
    if (this.#closed || this.#open.size + this.#opening >= this.#cap) return undefined;
    this.#opening++;
    try {
      const d = await Dispatcher.open(this.#client, this.#openTimeoutMs);
      this.#open.add(d);
      void d.closed.then(() => this.#forget(d));
      if (!this.#closed) return d;
      d.close();
      return undefined;
    } catch {
      // sshd's MaxSessions, no `setsid` or no POSIX sh: run the rest on channels.
      this.#cap = this.#open.size;
      return undefined;
    } finally {
      this.#opening--;
    }
  }

  #release(d: Dispatcher): void {
    if (!d.alive) this.#forget(d);
    else if (this.#closed) d.close();
    else this.#idle.push(d);
  }

  #forget(d: Dispatcher): void {
    this.#open.delete(d);
    this.#idle = this.#idle.filter((idle) => idle !== d);
  }

  /** Drop a dispatcher whose command does not end: kill its loop and close its channel. */
  #discard(d: Dispatcher): void {
    this.#forget(d);
    void runQuiet(this.#client, `kill -KILL ${d.pid} 2>/dev/null`)
      .catch(() => undefined)
      .finally(() => d.discard());
  }

  async #kill(pgid: number): Promise<void> {
    await runQuiet(this.#client, killGroupCommand(pgid)).catch(() => undefined);
  }
}
