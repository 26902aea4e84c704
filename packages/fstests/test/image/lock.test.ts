import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquireLock } from '../../src/image/lock.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ff-lock-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('acquireLock', () => {
  it('makes a second taker wait for the release, telling it who holds the lock', async () => {
    const path = join(dir, 'a.lock');
    const release = await acquireLock(path);
    expect((await readFile(path, 'utf8')).trim()).toBe(String(process.pid));
    const waited: number[] = [];
    let got = false;
    const second = acquireLock(path, { onWait: (pid) => waited.push(pid) }).then((r) => {
      got = true;
      return r;
    });
    await sleep(1500);
    expect(got).toBe(false);
    expect(waited).toEqual([process.pid]);
    await release();
    await (await second)();
  });

  it('takes over a lock whose owner is gone', async () => {
    const path = join(dir, 'b.lock');
    const child = spawn('true');
    const pid = await new Promise<number>((done) => child.once('exit', () => done(child.pid ?? 0)));
    await writeFile(path, `${pid}\n`);
    const release = await acquireLock(path);
    expect((await readFile(path, 'utf8')).trim()).toBe(String(process.pid));
    await release();
  });

  it('stops waiting when aborted', async () => {
    const path = join(dir, 'c.lock');
    const release = await acquireLock(path);
    const controller = new AbortController();
    const waiting = acquireLock(path, { signal: controller.signal });
    controller.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
    await release();
  });
});
