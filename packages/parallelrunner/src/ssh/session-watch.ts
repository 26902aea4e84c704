import { shellQuote } from '../util/shell.js';

/** Tag in the watcher's command line (`ps` shows it; tests find it by this). */
export const SESSION_WATCH_TAG = '__ff_watch__';

/**
 * The session watcher, a POSIX sh script run as `sh -c WATCH sh SESSION SHELL`. It sleeps while
 * both the sshd session process SESSION and the shell SHELL live. When SHELL ends first, all is
 * well and it exits. When the session ends first (the connection closed: `ff` was killed, or the
 * network broke and sshd noticed), it KILLs every process group that SHELL started with
 * `setsid`: children of SHELL that lead their own group. Only shell builtins run after the
 * wait, reading /proc/PID/stat (state, ppid, pgrp follow the `)` that ends the name).
 */
const WATCH_SCRIPT = [
  `: ${SESSION_WATCH_TAG}`,
  'while [ -d "/proc/$1" ] && [ -d "/proc/$2" ]; do sleep 1; done',
  '[ -d "/proc/$1" ] && exit 0',
  'w=$2',
  'for s in /proc/[0-9]*/stat; do',
  '  { read -r l <"$s"; } 2>/dev/null || continue',
  '  p=${s#/proc/}',
  '  p=${p%/stat}',
  '  set -- ${l##*) }',
  '  [ "$2" = "$w" ] && [ "$3" = "$p" ] && kill -KILL -"$p" 2>/dev/null',
  'done',
  'exit 0',
].join('\n');

/**
 * Shell text that starts the session watcher in the background for the current shell (`$$`),
 * whose parent (`$PPID`) is the sshd session: if the connection closes while a command the
 * shell started with `setsid` runs, the command's whole group is killed on the far end instead
 * of running on unattended. Needs Linux's /proc; without it nothing is watched.
 */
export function startSessionWatch(): string {
  return [
    'if [ -d "/proc/$PPID" ]; then',
    `  sh -c ${shellQuote(WATCH_SCRIPT)} sh "$PPID" "$$" </dev/null >/dev/null 2>&1 &`,
    'fi',
  ].join('\n');
}
