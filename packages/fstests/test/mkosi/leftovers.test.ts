import { existsSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { removeMachineLeftovers } from '../../src/mkosi/leftovers.js';
import { useTempDir } from './temp-dir.js';

const tmp = useTempDir('ff-mkosi-leftovers-');

describe('removeMachineLeftovers (after mkosi had to be SIGKILLed)', () => {
  it("removes the machine's state file and drive files, and nothing of other machines", async () => {
    const drives = join(tmp.path(), 'var-tmp');
    const stateDir = join(tmp.path(), 'run');
    await mkdir(drives, { recursive: true });
    await mkdir(stateDir, { recursive: true });
    const names = [
      'mkosi-drive-ff-1-abc123-test-k2j4h1x0', // mkosi 26: <machine>-<id>-<random>
      'mkosi-drive-ff-1-abc123-scratch-9z8y7x6w',
      'mkosi-drive-ff-1-abc1234-test-aaaaaaaa', // another machine whose name extends ours
      'mkosi-drive-ff-2-abc123-test-bbbbbbbb',
      'unrelated',
    ];
    for (const n of names) await writeFile(join(drives, n), '');
    const state = join(stateDir, 'ff-1-abc123.json');
    await writeFile(state, '{}');
    await removeMachineLeftovers('ff-1-abc123', state, drives);
    expect(existsSync(state)).toBe(false);
    expect((await readdir(drives)).sort()).toEqual([
      'mkosi-drive-ff-1-abc1234-test-aaaaaaaa',
      'mkosi-drive-ff-2-abc123-test-bbbbbbbb',
      'unrelated',
    ]);
  });

  it('is a no-op when nothing is left or the drive directory is missing', async () => {
    const missing = join(tmp.path(), 'none');
    await removeMachineLeftovers('ff-3-000000', join(missing, 'x.json'), missing);
  });
});
