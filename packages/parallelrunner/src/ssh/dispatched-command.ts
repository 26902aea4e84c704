import { PgidFilter } from './pgid-filter.js';
import type { RemoteExit, RunningCommand } from './running-command.js';

/**
 * A command run by a dispatcher: its handlers, its pgid (from the marker line), and its exit,
 * settled by whoever drives the request (`DispatcherPool`).
 */
export class DispatchedCommand implements RunningCommand {
  readonly exit: Promise<RemoteExit>;
  readonly #filter: PgidFilter;
  #resolveExit: (exit: RemoteExit) => void = () => undefined;
  #received = false;
  #finished = false;
  #onAbandon: () => void = () => undefined;

  constructor(
    readonly onStdout: (chunk: Buffer) => void,
    onStderr: (chunk: Buffer) => void,
  ) {
    this.#filter = new PgidFilter(onStderr);
    this.exit = new Promise((resolve) => {
      this.#resolveExit = resolve;
    });
  }

  get pgid(): Promise<number> {
    return this.#filter.pgid;
  }

  get knownPgid(): number | undefined {
    return this.#filter.knownPgid;
  }

  /** Whether any output (the pgid marker included) arrived: the command was started. */
  get received(): boolean {
    return this.#received;
  }

  get finished(): boolean {
    return this.#finished;
  }

  /** Stdout handler for the carrier. */
  readonly stdout = (chunk: Buffer): void => {
    this.#received = true;
    this.onStdout(chunk);
  };

  /** Stderr handler for the carrier: strips the pgid marker. */
  readonly stderr = (chunk: Buffer): void => {
    this.#received = true;
    this.#filter.push(chunk);
  };

  /** What `abandon` does for the current carrier. */
  onAbandon(handler: () => void): void {
    this.#onAbandon = handler;
  }

  abandon(): void {
    this.#onAbandon();
    this.finish({ exitCode: null, exitSignal: null });
  }

  /** Settle `exit` (once). */
  finish(exit: RemoteExit): void {
    if (this.#finished) return;
    this.#finished = true;
    this.#filter.flush();
    this.#resolveExit(exit);
  }
}
