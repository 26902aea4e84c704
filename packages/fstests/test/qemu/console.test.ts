import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type ConsoleCrash, ConsoleWatcher } from '../../src/qemu/console.js';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

describe('ConsoleWatcher', () => {
  it('logs everything, keeps the last lines, and joins lines split across chunks', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ff-console-'));
    dirs.push(dir);
    const logPath = join(dir, 'console.log');
    const watcher = new ConsoleWatcher({ logPath, tailLines: 3 });
    watcher.write('line 1\r\nline 2\nli');
    watcher.write(Buffer.from('ne 3\nline 4\npartial'));
    expect(watcher.tail()).toBe('line 2\nline 3\nline 4\npartial');
    await watcher.close();
    expect(await readFile(logPath, 'utf8')).toBe('line 1\r\nline 2\nline 3\nline 4\npartial');
  });

  it.each([
    '[   12.3] Kernel panic - not syncing: sysrq triggered crash',
    '[    5.1] BUG: kernel NULL pointer dereference, address: 0000000000000000',
    '[    7.0] Oops: 0002 [#1] PREEMPT SMP NOPTI',
  ])('reports the crash line %j once, with the trace that follows it', async (line) => {
    const crashes: ConsoleCrash[] = [];
    const watcher = new ConsoleWatcher({ settleMs: 50, onCrash: (c) => crashes.push(c) });
    watcher.write(`booting\n${line}\n`);
    watcher.write('Call Trace:\n BUG: again\n');
    await new Promise((r) => setTimeout(r, 120));
    expect(crashes).toEqual([{ line, excerpt: `booting\n${line}\nCall Trace:\n BUG: again` }]);
    await watcher.close();
    expect(crashes).toHaveLength(1);
  });

  it('reports a pending crash at once on flush, and ignores harmless lines', async () => {
    const crashes: ConsoleCrash[] = [];
    const watcher = new ConsoleWatcher({ settleMs: 60_000, onCrash: (c) => crashes.push(c) });
    watcher.write('run fstests generic/001 at 2026-01-01\nDEBUG: fine\nKernel panic - boom\n');
    expect(crashes).toHaveLength(0);
    watcher.flush();
    expect(crashes.map((c) => c.line)).toEqual(['Kernel panic - boom']);
    await watcher.close();
  });

  it('never reports without a crash line', async () => {
    const crashes: ConsoleCrash[] = [];
    const watcher = new ConsoleWatcher({ onCrash: (c) => crashes.push(c) });
    watcher.write('ff-appliance: network up\nBUGS: none\n');
    await watcher.close();
    expect(crashes).toEqual([]);
    expect(watcher.crashLine).toBeUndefined();
  });
});
