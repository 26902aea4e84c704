import type { Client, ClientChannel } from 'ssh2';
import { InvalidOptionError } from '../errors.js';
import type { CommandSpec } from '../test.js';
import { shellQuote } from '../util/shell.js';

/** First stderr line of every wrapped command: this marker and the remote process-group id. */
const PGID_MARKER = '__ff_pgid__:';
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The remote command line for `spec`. Needs a POSIX login shell and `setsid` on the far end.
 *
 * `setsid` runs in the background of the outer shell, so it is not a group leader and does not
 * fork: its pid (`$!`, and `$$` inside) is the new session and process-group id. The inner
 * shell reports it on stderr, then `exec`s the command (stdin is /dev/null, as for any
 * background job). The outer shell waits, kills whatever the command left behind in its group,
 * and re-raises a deadly signal on itself so the SSH exit status names it. An exit status above
 * 128 is, as in any shell, indistinguishable from death by that signal.
 */
export function wrapCommand(spec: CommandSpec): string {
  const steps = [`printf '%s%s\\n' ${PGID_MARKER} "$$" >&2`];
  if (spec.cwd !== undefined) steps.push(`cd ${shellQuote(spec.cwd)}`);
  for (const [name, value] of Object.entries(spec.env ?? {})) {
    if (!ENV_NAME.test(name)) {
      throw new InvalidOptionError(`env: "${name}" is not a valid environment variable name`);
    }
    steps.push(`export ${name}=${shellQuote(value)}`);
  }
  steps.push(`exec sh -c ${shellQuote(spec.command)}`);
  const inner = steps.join(' && ');
  return [
    `setsid sh -c ${shellQuote(inner)} & p=$!`,
    'wait $p',
    's=$?',
    'kill -KILL -$p 2>/dev/null',
    '[ $s -gt 128 ] && kill -$((s-128)) $$ 2>/dev/null',
    'exit $s',
  ].join('; ');
}

/** TERM the process group, give it a second, then KILL it. Safe when the group is gone. */
export function killGroupCommand(pgid: number): string {
  return (
    `kill -TERM -${pgid} 2>/dev/null || exit 0; i=0; while [ $i -lt 20 ]; do sleep 0.05; ` +
    `kill -0 -${pgid} 2>/dev/null || exit 0; i=$((i+1)); done; kill -KILL -${pgid} 2>/dev/null; exit 0`
  );
}

/** How a remote command ended. */
export interface RemoteExit {
  readonly exitCode: number | null;
  readonly exitSignal: string | null;
}

/** Open an exec channel for `command`. */
export function openExec(client: Client, command: string): Promise<ClientChannel> {
  return new Promise((resolve, reject) => {
    client.exec(command, (error, channel) => (error ? reject(error) : resolve(channel)));
  });
}

/** Run `command` to completion, discarding its output (used for kill commands). */
export async function runQuiet(client: Client, command: string): Promise<RemoteExit> {
  const channel = await openExec(client, command);
  channel.resume();
  channel.stderr.resume();
  return waitExit(channel);
}

/** `SIGTERM` for `TERM` or `SIGTERM` (servers differ), `null` for none. */
function signalName(signal: string | undefined): string | null {
  if (!signal) return null;
  return signal.startsWith('SIG') ? signal : `SIG${signal}`;
}

/** Resolve with the exit status once the channel closes. */
export function waitExit(channel: ClientChannel): Promise<RemoteExit> {
  return new Promise((resolve) => {
    let exit: RemoteExit = { exitCode: null, exitSignal: null };
    channel.on('exit', (code: number | null, signal?: string) => {
      exit =
        code === null || code === undefined
          ? { exitCode: null, exitSignal: signalName(signal) }
          : { exitCode: code, exitSignal: null };
    });
    channel.on('close', () => resolve(exit));
  });
}

/**
 * A wrapped command running on a channel: streams stdout, strips the marker line from stderr,
 * and resolves `pgid` once the far end reported it.
 */
export class RemoteCommand {
  readonly exit: Promise<RemoteExit>;
  readonly pgid: Promise<number>;
  /** The remote process-group id, once reported. */
  knownPgid: number | undefined;
  #pending: Buffer | undefined = Buffer.alloc(0);
  #resolvePgid: (pgid: number) => void = () => undefined;

  constructor(
    readonly channel: ClientChannel,
    onStdout: (chunk: Buffer) => void,
    readonly onStderr: (chunk: Buffer) => void,
  ) {
    this.pgid = new Promise((resolve) => {
      this.#resolvePgid = resolve;
    });
    this.exit = waitExit(channel);
    channel.on('data', onStdout);
    channel.stderr.on('data', (chunk: Buffer) => this.#stderr(chunk));
  }

  /** Start `spec` wrapped by `wrapCommand` on a new channel of `client`. */
  static async start(
    client: Client,
    spec: CommandSpec,
    onStdout: (chunk: Buffer) => void,
    onStderr: (chunk: Buffer) => void,
  ): Promise<RemoteCommand> {
    return new RemoteCommand(await openExec(client, wrapCommand(spec)), onStdout, onStderr);
  }

  #stderr(chunk: Buffer): void {
    if (this.#pending === undefined) {
      this.onStderr(chunk);
      return;
    }
    const buf = Buffer.concat([this.#pending, chunk]);
    const newline = buf.indexOf(0x0a);
    const head = buf.subarray(0, newline < 0 ? buf.length : newline).toString('latin1');
    const isMarker = head.startsWith(PGID_MARKER) || PGID_MARKER.startsWith(head);
    if (isMarker && newline < 0 && buf.length < 64) {
      this.#pending = buf;
      return;
    }
    this.#pending = undefined;
    const pgid = Number(head.slice(PGID_MARKER.length));
    if (isMarker && newline >= 0 && Number.isInteger(pgid) && pgid > 1) {
      this.knownPgid = pgid;
      this.#resolvePgid(pgid);
      if (newline + 1 < buf.length) this.onStderr(buf.subarray(newline + 1));
    } else if (buf.length > 0) {
      this.onStderr(buf);
    }
  }
}
