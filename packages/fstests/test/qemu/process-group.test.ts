import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { QemuNotFoundError } from '../../src/qemu/errors.js';
import { spawnGroup, terminateGroup } from '../../src/qemu/process-group.js';
import { alive, groupMembers } from '../support/processes.js';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, '..', '..', '..', '..');
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

/** A process's command line (NUL-separated), or '' once it is gone. */
function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return '';
  }
}

async function waitUntil(check: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return check();
}

describe('spawnGroup', () => {
  it('runs the command itself as the group leader, and terminateGroup ends the whole group', async () => {
    const proc = await spawnGroup('sh', ['-c', 'sleep 9123401.5 & exec sleep 9123402.5']);
    // Wait for the state that stays: both sleeps exec'd (a member read between its fork and its
    // exec still shows the shell's command line) next to the lifeline watcher.
    const cmdlines = () => groupMembers(proc.pid).map(cmdline).sort();
    const settled = () => {
      const lines = cmdlines();
      return lines.length === 3 && lines.includes('sleep\u00009123401.5\u0000');
    };
    const leaderExeced = () => cmdline(proc.pid) === 'sleep\u00009123402.5\u0000';
    await waitUntil(() => settled() && leaderExeced(), 5000);
    // The leader is the command (exec'd), not a wrapper: the group's pid is its pid.
    expect(cmdline(proc.pid)).toBe('sleep\u00009123402.5\u0000');
    expect(cmdlines()).toHaveLength(3);
    await terminateGroup(proc, 1000);
    expect(await waitUntil(() => groupMembers(proc.pid).length === 0, 3000)).toBe(true);
  });

  it('rejects with the not-found error for a missing command, before spawning anything', async () => {
    await expect(spawnGroup('ff-no-such-binary', [])).rejects.toBeInstanceOf(QemuNotFoundError);
    const dir = await mkdtemp(join(tmpdir(), 'ff-spawn-'));
    dirs.push(dir);
    await writeFile(join(dir, 'not-executable'), '#!/bin/sh\n');
    await expect(spawnGroup('./not-executable', [], { cwd: dir })).rejects.toBeInstanceOf(
      QemuNotFoundError,
    );
  });

  it('when this process is killed outright: TERMs the group, removes its orphan dir, then KILLs the rest', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ff-orphan-'));
    dirs.push(dir);
    const files = join(dir, 'vm');
    await mkdir(files);
    await writeFile(join(files, 'scratch.img'), 'data');
    const marker = join(dir, 'termed');
    // One member notes the TERM and exits; one ignores it and must be KILLed. (Their output
    // goes nowhere: the pipes to the killed parent are broken, and writing to them is a SIGPIPE.)
    const script = `exec >/dev/null 2>&1; (trap 'touch ${marker}; exit 0' TERM; while :; do sleep 0.1; done) & (trap '' TERM; exec sleep 9123404.5) & wait`;
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(here, 'fixtures', 'spawn-group-child.ts'), script, files],
      { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const [line] = (await once(child.stdout, 'data')) as [Buffer];
    const pgid = Number(line.toString().trim());
    expect(await waitUntil(() => groupMembers(pgid).length >= 4, 5000)).toBe(true);
    child.kill('SIGKILL');
    await once(child, 'close');
    expect(await waitUntil(() => existsSync(marker), 3000)).toBe(true);
    expect(await waitUntil(() => groupMembers(pgid).length === 0, 8000)).toBe(true);
    expect(existsSync(files)).toBe(false);
    expect(alive(pgid)).toBe(false);
  });
});
