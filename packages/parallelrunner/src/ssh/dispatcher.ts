import type { Client, ClientChannel } from 'ssh2';
import { describeCause } from '../errors.js';
import {
  DISPATCH_COMMAND,
  DISPATCH_READY,
  encodeRequest,
  endMarker,
  newNonce,
  parseEndStatus,
} from './dispatch-protocol.js';
import { SshError } from './errors.js';
import { MarkerScanner } from './marker-scanner.js';
import { channelExit, openExec } from './remote-command.js';
import type { RemoteExit } from './running-command.js';

/** How one request on a dispatcher ended. */
export type RequestOutcome =
  /** The command ran to its end; `exit` is how it ended. */
  | { readonly kind: 'done'; readonly exit: RemoteExit }
  /** The loop itself ended before the request did; `loopExit` is how the loop ended. */
  | { readonly kind: 'lost'; readonly loopExit: RemoteExit };

interface Active {
  readonly stdout: MarkerScanner;
  readonly stderr: MarkerScanner;
  readonly settle: (outcome: RequestOutcome) => void;
}

const NO_EXIT: RemoteExit = { exitCode: null, exitSignal: null };
const READY_LINE = new RegExp(`(?:^|\n)${DISPATCH_READY}(\\d+)\n`);

/**
 * One long-lived exec channel running the dispatcher loop (see `dispatch-protocol.ts`): it
 * runs one command at a time without a new SSH session per command. Output between the start
 * of a request and its end markers belongs to that request.
 */
export class Dispatcher {
  readonly #channel: ClientChannel;
  /** Resolves once the channel closed: everything the far end sent was delivered. */
  readonly closed: Promise<void>;
  #ended: RemoteExit | undefined;
  #active: Active | undefined;

  private constructor(
    channel: ClientChannel,
    /** Pid of the loop shell on the far end. */
    readonly pid: number,
  ) {
    this.#channel = channel;
    let exit = NO_EXIT;
    channel.on('data', (chunk: Buffer) => {
      this.#active?.stdout.push(chunk);
      this.#check();
    });
    channel.stderr.on('data', (chunk: Buffer) => {
      this.#active?.stderr.push(chunk);
      this.#check();
    });
    channel.on('exit', (code: number | null, signal?: string) => {
      exit = channelExit(code, signal);
      this.#end(exit);
    });
    this.closed = new Promise((resolve) => {
      channel.on('close', () => {
        this.#end(exit);
        const active = this.#active;
        this.#active = undefined;
        active?.stdout.flush();
        active?.stderr.flush();
        resolve();
      });
    });
  }

  /** Whether the loop still runs (no exit status and no close seen). */
  get alive(): boolean {
    return this.#ended === undefined;
  }

  /** Whether a request is in flight. */
  get busy(): boolean {
    return this.#active !== undefined;
  }

  /**
   * Open a channel running the loop and wait until it reports its pid. Rejects with `SshError`
   * when the channel cannot be opened, the loop exits (no `setsid`, no POSIX `sh`), or it does
   * not report within `timeoutMs`.
   */
  static async open(client: Client, timeoutMs: number): Promise<Dispatcher> {
    const channel = await openExec(client, DISPATCH_COMMAND);
    channel.stderr.resume();
    return new Promise<Dispatcher>((resolve, reject) => {
      let text = '';
      const done = (error?: Error, pid = 0) => {
        clearTimeout(timer);
        channel.removeListener('data', onData);
        channel.removeListener('close', onClose);
        if (error) {
          channel.close();
          reject(error);
          return;
        }
        resolve(new Dispatcher(channel, pid));
      };
      // A login shell may print a banner first (rc files): skip it, up to a limit.
      const onData = (chunk: Buffer) => {
        text += chunk.toString('latin1');
        const ready = READY_LINE.exec(text);
        if (ready) done(undefined, Number(ready[1]));
        else if (text.length > 65_536) done(new SshError('dispatcher: no ready line in 64 KiB'));
      };
      const onClose = () => done(new SshError('dispatcher: the loop exited while starting'));
      const timer = setTimeout(
        () => done(new SshError(`dispatcher: no ready line within ${timeoutMs} ms`)),
        timeoutMs,
      );
      channel.on('data', onData);
      channel.on('close', onClose);
    }).catch((cause: unknown) => {
      throw cause instanceof SshError
        ? cause
        : new SshError(`dispatcher: ${describeCause(cause)}`, { cause });
    });
  }

  /**
   * Run `text` (a `sh -c` command text) in a new process group; stream its output to the
   * handlers. Only one request at a time: the caller must wait for the outcome.
   */
  run(
    text: string,
    onStdout: (chunk: Buffer) => void,
    onStderr: (chunk: Buffer) => void,
  ): Promise<RequestOutcome> {
    if (this.#active) throw new SshError('dispatcher: a request is already in flight');
    const ended = this.#ended;
    if (ended) return Promise.resolve({ kind: 'lost', loopExit: ended });
    const nonce = newNonce();
    return new Promise<RequestOutcome>((resolve) => {
      this.#active = {
        stdout: new MarkerScanner(endMarker(nonce), onStdout),
        stderr: new MarkerScanner(endMarker(nonce), onStderr),
        settle: resolve,
      };
      this.#channel.write(encodeRequest(nonce, text));
    });
  }

  /** End the loop: EOF on its stdin (it exits once idle), then close the channel. */
  close(): void {
    this.#channel.end();
  }

  /** Close the channel at once, whatever the loop is doing. */
  discard(): void {
    this.#channel.close();
  }

  #check(): void {
    const active = this.#active;
    if (!active?.stdout.found || !active.stderr.found) return;
    const rest = active.stderr.rest.toString('latin1');
    if (!rest.includes('\n')) return;
    this.#active = undefined;
    active.settle({ kind: 'done', exit: parseEndStatus(rest) ?? NO_EXIT });
  }

  #end(exit: RemoteExit): void {
    if (this.#ended) return;
    this.#ended = exit;
    // Output of the request may still arrive until the channel closes: keep `#active` for it.
    this.#active?.settle({ kind: 'lost', loopExit: exit });
  }
}
