import type { Client, ClientChannel } from 'ssh2';
import { InvalidOptionError } from '../errors.js';
import type { CommandSpec } from '../test.js';
import { shellQuote } from '../util/shell.js';
import { PGID_MARKER, PgidFilter } from './pgid-filter.js';
import type { RemoteExit, RunningCommand } from './running-command.js';
import { startSessionWatch } from './session-watch.js';

export type { RemoteExit } from './running-command.js';

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The command line that `setsid sh -c` runs for `spec`: it reports its pid (the new process
 * group) on stderr with the pgid marker, changes directory, exports the environment, and
 * `exec`s `sh -c` with the command. Rejects invalid environment variable names.
 */
export function innerCommand(spec: CommandSpec): string {
  const steps = [`printf '%s%s\\n' ${PGID_MARKER} "$$" >&2`];
  if (spec.cwd !== undefined) steps.push(`cd ${shellQuote(spec.cwd)}`);
  for (const [name, value] of Object.entries(spec.env ?? {})) {
    if (!ENV_NAME.test(name)) {
      throw new InvalidOptionError(`env: "${name}" is not a valid environment variable name`);
    }
    steps.push(`export ${name}=${shellQuote(value)}`);
  }
  steps.push(`exec sh -c ${shellQuote(spec.command)}`);
  return steps.join(' && ');
}

/**
 * The remote command line for `spec` on its own channel. Needs a POSIX login shell and
 * `setsid` on the far end.
 *
 * `setsid` runs in the background of the outer shell, so it is not a group leader and does not
 * fork: its pid (`$!`, and `$$` inside) is the new session and process-group id. The inner
 * shell (`innerCommand`) reports it on stderr, then `exec`s the command (stdin is /dev/null).
 * The outer shell waits, kills whatever the command left behind in its group, and re-raises a
 * deadly signal on itself so the SSH exit status names it. An exit status above 128 is, as in
 * any shell, indistinguishable from death by that signal. A session watcher kills the group
 * if the connection closes while the command runs.
 */
export function wrapCommand(spec: CommandSpec): string {
  return [
    `setsid sh -c ${shellQuote(innerCommand(spec))} </dev/null & p=$!`,
    startSessionWatch(),
    'wait $p 2>/dev/null',
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
export function signalName(signal: string | undefined): string | null {
  if (!signal) return null;
  return signal.startsWith('SIG') ? signal : `SIG${signal}`;
}

/** How a channel's remote process ended, from its `exit` event arguments. */
export function channelExit(code: number | null | undefined, signal?: string): RemoteExit {
  return code === null || code === undefined
    ? { exitCode: null, exitSignal: signalName(signal) }
    : { exitCode: code, exitSignal: null };
}

/** Resolve with the exit status once the channel closes. */
export function waitExit(channel: ClientChannel): Promise<RemoteExit> {
  return new Promise((resolve) => {
    let exit: RemoteExit = { exitCode: null, exitSignal: null };
    channel.on('exit', (code: number | null, signal?: string) => {
      exit = channelExit(code, signal);
    });
    channel.on('close', () => resolve(exit));
  });
}

/**
 * A wrapped command on a channel of its own: streams stdout, strips the marker line from
 * stderr, and resolves `pgid` once the far end reported it.
 */
export class RemoteCommand implements RunningCommand {
  readonly exit: Promise<RemoteExit>;
  readonly #filter: PgidFilter;

  constructor(
    readonly channel: ClientChannel,
    onStdout: (chunk: Buffer) => void,
    onStderr: (chunk: Buffer) => void,
  ) {
    this.#filter = new PgidFilter(onStderr);
    this.exit = waitExit(channel);
    channel.on('data', onStdout);
    channel.stderr.on('data', (chunk: Buffer) => this.#filter.push(chunk));
  }

  get pgid(): Promise<number> {
    return this.#filter.pgid;
  }

  get knownPgid(): number | undefined {
    return this.#filter.knownPgid;
  }

  abandon(): void {
    this.channel.close();
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
}
