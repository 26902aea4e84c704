import { readFile, readdir } from 'node:fs/promises';
import { delay } from '../util/abort.js';

/**
 * Send `signal` to every process of the process group `pgid` (0 only checks that the group
 * exists). Returns false when the group no longer exists.
 */
export function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
}

/** Process group and state of `pid` from `/proc/<pid>/stat`, or undefined if it is gone. */
async function procStat(pid: string): Promise<{ state: string; pgrp: number } | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces and parentheses: fields start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0] ?? '', pgrp: Number(fields[2]) };
  } catch {
    return undefined;
  }
}

/**
 * The pids of the processes of group `pgid` that are still running. Zombies do not count: an
 * orphan whose reaper (PID 1 of a container) never collects it is dead all the same. Without
 * `/proc` (not Linux), a group that still answers to signal 0 counts as running.
 */
export async function liveGroupMembers(pgid: number): Promise<number[]> {
  // Fast path: an empty group (not even zombies) does not answer to signal 0.
  if (!signalGroup(pgid, 0)) return [];
  let entries: string[];
  try {
    entries = await readdir('/proc');
  } catch {
    return [pgid];
  }
  const pids = entries.filter((e) => /^\d+$/.test(e));
  const stats = await Promise.all(pids.map(async (pid) => ({ pid, stat: await procStat(pid) })));
  return stats
    .filter(({ stat }) => stat && stat.pgrp === pgid && stat.state !== 'Z' && stat.state !== 'X')
    .map(({ pid }) => Number(pid));
}

/** Wait until group `pgid` has no running process, at most `ms`; true when it is empty. */
async function waitGroupGone(pgid: number, ms: number, pollMs: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if ((await liveGroupMembers(pgid)).length === 0) return true;
    if (Date.now() >= deadline) return false;
    await delay(pollMs);
  }
}

/** Options of `terminateGroup`. */
export interface TerminateOptions {
  /** How long the group has to exit after SIGTERM before it gets SIGKILL. Default 2000 ms. */
  readonly graceMs?: number;
  /** How often to look whether the group is gone. Default 25 ms. */
  readonly pollMs?: number;
}

/**
 * End every process of group `pgid`: SIGTERM, then SIGKILL for whatever is still running
 * after the grace period. Resolves once the group is empty (or 1 s after SIGKILL).
 */
export async function terminateGroup(pgid: number, options: TerminateOptions = {}): Promise<void> {
  const pollMs = options.pollMs ?? 25;
  if ((await liveGroupMembers(pgid)).length === 0) return;
  if (!signalGroup(pgid, 'SIGTERM')) return;
  if (await waitGroupGone(pgid, options.graceMs ?? 2000, pollMs)) return;
  if (!signalGroup(pgid, 'SIGKILL')) return;
  await waitGroupGone(pgid, 1000, pollMs);
}
