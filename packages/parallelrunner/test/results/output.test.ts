import { open, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { setImmediate as tick } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OutputFile } from '../../src/results/output-file.js';
import { ResultsStore } from '../../src/results/store.js';
import { attemptResult, idTest, tempDir } from './helpers.js';

let tmp: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => {
  tmp = await tempDir();
});
afterEach(async () => {
  await tmp.cleanup();
});

const CHUNK = 64 * 1024;

function chunk(i: number): Buffer {
  return Buffer.alloc(CHUNK, i % 251);
}

async function expectChunks(path: string, count: number): Promise<void> {
  expect((await stat(path)).size).toBe(count * CHUNK);
  const handle = await open(path);
  try {
    const probe = Buffer.alloc(1);
    for (const i of [0, 1, Math.floor(count / 2), count - 1]) {
      await handle.read(probe, 0, 1, i * CHUNK + CHUNK - 1);
      expect(probe[0]).toBe(i % 251);
    }
  } finally {
    await handle.close();
  }
}

describe('streaming output to disk', () => {
  it('200 MB pushed through write() in a tight loop does not grow the process', async () => {
    const store = await ResultsStore.open(tmp.path);
    const result = attemptResult('big/1', 1, 'pass');
    const rec = await store.beginAttempt(idTest('big/1'), {
      attemptId: result.attemptId,
      attempt: 1,
      supervisor: 'vm-1',
    });
    const count = (200 * 1024 * 1024) / CHUNK;
    global.gc?.();
    const before = process.memoryUsage().rss;
    let peak = before;
    for (let i = 0; i < count; i++) {
      rec.write('stdout', chunk(i));
      if (i % 64 === 0) peak = Math.max(peak, process.memoryUsage().rss);
    }
    await rec.finish(result);
    peak = Math.max(peak, process.memoryUsage().rss);
    const growthMb = (peak - before) / 1024 / 1024;
    expect(growthMb).toBeLessThan(64);
    await expectChunks(join(rec.dir, 'stdout'), count);
  });

  it('a paced producer is written asynchronously, in order', async () => {
    const file = await OutputFile.open(join(tmp.path, 'out'), 256 * 1024);
    const count = 200;
    for (let i = 0; i < count; i++) {
      file.write(chunk(i));
      if (i % 3 === 0) await tick();
    }
    expect(file.bytes).toBe(count * CHUNK);
    await file.close();
    await expectChunks(join(tmp.path, 'out'), count);
  });

  it('a write error is reported by close', async () => {
    const file = await OutputFile.open('/dev/full');
    file.write(Buffer.from('x'));
    await expect(file.close()).rejects.toMatchObject({ code: 'ERR_RESULTS' });
  });
});
