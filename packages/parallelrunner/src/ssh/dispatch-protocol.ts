import { randomBytes } from 'node:crypto';
import { shellQuote } from '../util/shell.js';
import type { RemoteExit } from './running-command.js';
import { startSessionWatch } from './session-watch.js';

/** First stdout line of a dispatcher loop: this tag and the loop shell's pid. */
export const DISPATCH_READY = '__ff_dispatch__:';

/**
 * The dispatcher loop, a POSIX sh script (dash, bash, busybox ash). It checks for `setsid`,
 * reports its pid, then reads one request line at a time from stdin: a nonce, a space, and a
 * command text escaped for `printf %b` (only `\\` and `\n`). It decodes the text with the
 * `printf` builtin (no `eval`: the text becomes the argument of `sh -c`, as on a channel of its
 * own), runs it in a new session and process group with stdin from /dev/null and the loop's
 * stdout and stderr, waits, kills what the command left in its group, and ends the request
 * with the end marker on stdout and the marker, the status and (above 128) the signal name on
 * stderr. EOF on stdin ends the loop. A session watcher kills the running command's group if
 * the connection closes (sshd's session process exits) while it runs.
 */
const LOOP_SCRIPT = [
  'command -v setsid >/dev/null 2>&1 || exit 127',
  startSessionWatch(),
  `printf '${DISPATCH_READY}%s\\n' "$$"`,
  'while IFS= read -r r; do',
  '  n=${r%% *}',
  '  c=$(printf \'%b.\' "${r#* }")',
  '  c=${c%.}',
  '  setsid sh -c "$c" </dev/null & p=$!',
  '  wait $p 2>/dev/null',
  '  s=$?',
  '  kill -KILL -$p 2>/dev/null',
  '  g=',
  '  [ $s -gt 128 ] && g=$(kill -l $s 2>/dev/null)',
  '  printf \'__ff_end_%s__\' "$n"',
  '  printf \'__ff_end_%s__%s:%s\\n\' "$n" "$s" "$g" >&2',
  'done',
].join('\n');

/** The exec command that starts a dispatcher loop under `sh`, whatever the login shell is. */
export const DISPATCH_COMMAND = `exec sh -c ${shellQuote(LOOP_SCRIPT)}`;

/** A fresh request nonce: 24 hex digits, so no output can guess the end marker. */
export function newNonce(): string {
  return randomBytes(12).toString('hex');
}

/** The end marker of the request with `nonce`. */
export function endMarker(nonce: string): string {
  return `__ff_end_${nonce}__`;
}

/** The request line that makes a dispatcher run `text` (a full `sh -c` command text). */
export function encodeRequest(nonce: string, text: string): Buffer {
  const escaped = text.replaceAll('\\', '\\\\').replaceAll('\n', '\\n');
  return Buffer.from(`${nonce} ${escaped}\n`, 'utf8');
}

/** Signals whose default action does not end a process: a status 128+N of those is a status. */
const NOT_DEADLY = new Set(['CHLD', 'CLD', 'CONT', 'URG', 'WINCH', 'STOP', 'TSTP', 'TTIN', 'TTOU']);

/**
 * How a request ended, from the text after its end marker on stderr (`STATUS:SIGNAME`), or
 * `undefined` while its line is incomplete or malformed. As with a wrapper that re-raises the
 * signal, a status above 128 names the signal that killed the command.
 */
export function parseEndStatus(text: string): RemoteExit | undefined {
  const m = /^(\d+):([A-Z0-9+-]*)\r?\n/.exec(text);
  if (!m) return undefined;
  const status = Number(m[1]);
  const name = (m[2] ?? '').replace(/^SIG/, '');
  if (status > 128 && name !== '' && !NOT_DEADLY.has(name)) {
    return { exitCode: null, exitSignal: `SIG${name}` };
  }
  return { exitCode: status, exitSignal: null };
}
