/** What an mkosi VM may leave behind, for tests that check nothing is (real mkosi v26 names). */
import type { ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { alive } from '../../../../packages/fstests/test/support/processes.js';

/** Every process seen under one `ff`, and the mkosi machine names among their command lines. */
export interface Tracked {
  readonly pids: Set<number>;
  readonly machines: Set<string>;
}

export function tracked(): Tracked {
  return { pids: new Set(), machines: new Set() };
}

function parents(): Map<number, number> {
  const map = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const text = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(text.slice(text.lastIndexOf(')') + 2).split(' ')[1]);
      map.set(Number(name), ppid);
    } catch {
      // gone meanwhile
    }
  }
  return map;
}

function remember(into: Tracked, pid: number): void {
  into.pids.add(pid);
  try {
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    const i = argv.indexOf('--machine');
    const machine = i >= 0 ? argv[i + 1] : undefined;
    if (machine) into.machines.add(machine);
  } catch {
    // gone meanwhile
  }
}

/** Remember every descendant of `child` (mkosi, QEMU, ...) while it runs. */
export function trackTree(child: ChildProcess, into: Tracked): void {
  const root = child.pid;
  if (root === undefined) return;
  const timer = setInterval(() => {
    const ppids = parents();
    const family = new Set([root]);
    for (let grew = true; grew; ) {
      grew = false;
      for (const [pid, ppid] of ppids) {
        if (family.has(ppid) && !family.has(pid)) {
          family.add(pid);
          remember(into, pid);
          grew = true;
        }
      }
    }
  }, 200);
  child.once('close', () => clearInterval(timer));
}

/** What is left: live processes, and per machine its drive files and machine state file. */
export interface Leftovers {
  readonly machines: string[];
  readonly processes: number[];
  readonly files: string[];
}

/**
 * mkosi v26 creates drive files `/var/tmp/mkosi-drive-<machine>-<id>-<random>` (Drives= without
 * a directory), a state file `/run/mkosi/machine/<machine>.json` (root, vsock only) and, for
 * disk and directory images, an ephemeral copy `<image>-<16 hex>` beside the image.
 */
export async function leftovers(seen: Tracked, configDir: string): Promise<Leftovers> {
  const machines = [...seen.machines].sort();
  const list = (d: string) => readdir(d).catch(() => [] as string[]);
  const varTmp = await list('/var/tmp');
  const state = await list('/run/mkosi/machine');
  const files = [
    ...machines.flatMap((m) => [
      ...varTmp.filter((f) => f.startsWith(`mkosi-drive-${m}-`)).map((f) => join('/var/tmp', f)),
      ...state.filter((f) => f === `${m}.json`).map((f) => join('/run/mkosi/machine', f)),
    ]),
    ...(await list(configDir))
      .filter((f) => /^image.*-[0-9a-f]{16}$/.test(f))
      .map((f) => join(configDir, f)),
  ];
  return { machines, processes: [...seen.pids].filter(alive), files };
}
