/** Process lookups from /proc, for tests that assert nothing is left behind. */
import { readFileSync, readdirSync } from 'node:fs';

interface ProcStat {
  readonly pid: number;
  readonly comm: string;
  readonly state: string;
  readonly ppid: number;
  readonly pgrp: number;
}

/** `/proc/<pid>/stat`, or undefined once the process is gone. */
function stat(pid: number): ProcStat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // pid (comm) state ppid ...: comm may contain spaces, so split after the last ')'.
    const close = text.lastIndexOf(')');
    const [state = '', ppid = '', pgrp = ''] = text.slice(close + 2).split(' ');
    const comm = text.slice(text.indexOf('(') + 1, close);
    return { pid, comm, state, ppid: Number(ppid), pgrp: Number(pgrp) };
  } catch {
    return undefined;
  }
}

function pids(): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number);
}

/** True when a process with this PID exists and is not a zombie. */
export function alive(pid: number): boolean {
  const s = stat(pid);
  return s !== undefined && s.state !== 'Z';
}

/** Live children of `ppid`, optionally only those whose command name starts with `comm`. */
export function childrenOf(ppid: number, comm = ''): number[] {
  return pids().filter((pid) => {
    const s = stat(pid);
    return s !== undefined && s.ppid === ppid && s.state !== 'Z' && s.comm.startsWith(comm);
  });
}

/** Live processes whose command line contains `needle`. */
export function processesMatching(needle: string): number[] {
  return pids().filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(needle) && alive(pid);
    } catch {
      return false;
    }
  });
}

/** Live members of the process group `pgid`. */
export function groupMembers(pgid: number): number[] {
  return pids().filter((pid) => {
    const s = stat(pid);
    return s !== undefined && s.pgrp === pgid && s.state !== 'Z';
  });
}
