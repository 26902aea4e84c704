import { chmod, cp, mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashParts, hashTree } from '../../src/image/fingerprint.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ff-hash-'));
  await mkdir(join(dir, 'a', 'tests', 'generic'), { recursive: true });
  await writeFile(join(dir, 'a', 'check'), '#!/bin/bash\n', { mode: 0o755 });
  await writeFile(join(dir, 'a', 'tests', 'generic', '001'), 'echo hi\n');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('hashTree', () => {
  it('hashes content, not place or time; .git and results/ do not count', async () => {
    const a = await hashTree(join(dir, 'a'));
    await cp(join(dir, 'a'), join(dir, 'b'), { recursive: true });
    await utimes(join(dir, 'b', 'check'), 1, 1);
    await mkdir(join(dir, 'b', '.git'));
    await writeFile(join(dir, 'b', '.git', 'HEAD'), 'ref\n');
    await mkdir(join(dir, 'b', 'results'));
    await writeFile(join(dir, 'b', 'results', 'check.log'), 'x\n');
    expect(await hashTree(join(dir, 'b'))).toBe(a);
  });

  it('changes with a file, its content or its executable bit', async () => {
    const a = await hashTree(join(dir, 'a'));
    await cp(join(dir, 'a'), join(dir, 'c'), { recursive: true });
    await writeFile(join(dir, 'c', 'tests', 'generic', '001'), 'echo ho\n');
    expect(await hashTree(join(dir, 'c'))).not.toBe(a);
    await cp(join(dir, 'a'), join(dir, 'd'), { recursive: true });
    await chmod(join(dir, 'd', 'tests', 'generic', '001'), 0o755);
    expect(await hashTree(join(dir, 'd'))).not.toBe(a);
  });

  it('in listing mode sees a touched file without reading it', async () => {
    const before = await hashTree(join(dir, 'a'), { mode: 'listing' });
    await utimes(join(dir, 'a', 'check'), 2, 2);
    expect(await hashTree(join(dir, 'a'), { mode: 'listing' })).not.toBe(before);
  });
});

describe('hashParts', () => {
  it('delimits the parts', () => {
    expect(hashParts(['ab', 'c'])).not.toBe(hashParts(['a', 'bc']));
    expect(hashParts(['x'])).toMatch(/^[0-9a-f]{64}$/);
  });
});
