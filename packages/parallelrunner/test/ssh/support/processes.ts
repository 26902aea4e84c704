import { readFile, readlink } from 'node:fs/promises';
import type { Sshd } from './sshd.js';

/** The command line of `pid` (arguments joined by spaces), or '' once it is gone. */
export async function cmdline(pid: number): Promise<string> {
  const raw = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  return raw.replaceAll('\0', ' ').trim();
}

/** The executable of `pid`, or '' once it is gone. */
export function exe(pid: number): Promise<string> {
  return readlink(`/proc/${pid}/exe`).catch(() => '');
}

/** Whether `pid` is still alive (and not a zombie). */
export async function alive(pid: number): Promise<boolean> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  return stat !== '' && stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
}

/** Pids of the dispatcher loops that `sshd` runs (its descendants running the loop script). */
export async function dispatcherLoops(sshd: Sshd): Promise<number[]> {
  const pids = await sshd.descendants();
  const lines = await Promise.all(pids.map(cmdline));
  return pids.filter((_, i) => lines[i]?.includes('__ff_dispatch__') ?? false);
}
