/** `ff image build` as a user runs it, for what fails before any build starts. */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE, ff } from './support/env.js';

let dir: string;
let kernelArgs: string[];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ff-image-cli-'));
  const header = Buffer.alloc(0x400);
  header.write('HdrS', 0x202, 'latin1');
  header.writeUInt16LE(0x100, 0x20e);
  header.write('6.99.0-cli #1 SMP\0', 0x300, 'latin1');
  await writeFile(join(dir, 'bzImage'), header);
  await mkdir(join(dir, 'mods'), { recursive: true });
  await writeFile(join(dir, 'mods', 'modules.dep'), '');
  kernelArgs = ['--kernel', 'bzImage', '--modules', 'mods'];
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('ff image build', () => {
  it('exits 2 naming the option for a tree that is not fstests, a bad FSTYP or kernel', async () => {
    const notTree = await ff(['image', 'build', '--fstests', 'nowhere', ...kernelArgs], {
      cwd: dir,
    });
    expect(notTree.code).toBe(2);
    expect(notTree.stderr).toBe(
      `ff: fstests: ${join(dir, 'nowhere')} is not an fstests checkout (expected a check script and a tests/ directory)\n`,
    );
    const fstyp = await ff(
      ['image', 'build', '--fstests', FIXTURE, '--fstyp', 'ext4;rm', ...kernelArgs],
      {
        cwd: dir,
      },
    );
    expect(fstyp.code).toBe(2);
    expect(fstyp.stderr).toBe(
      'ff: fstyp: expected a filesystem type such as ext4, got "ext4;rm"\n',
    );
    const kernel = await ff(
      ['image', 'build', '--fstests', FIXTURE, '--kernel', 'mods/modules.dep'],
      {
        cwd: dir,
      },
    );
    expect(kernel.code).toBe(2);
    expect(kernel.stderr).toMatch(/^ff: kernel: .*modules\.dep is not a bzImage/);
  });

  it('exits 2 without an fstests checkout, and 1 naming the missing program and its package', async () => {
    const none = await ff(['image', 'build', ...kernelArgs], { cwd: dir });
    expect(none.code).toBe(2);
    expect(none.stderr).toBe(
      'ff: no fstests checkout: pass --fstests DIR or set fstests in config.toml\n',
    );
    const noTool = await ff(['image', 'build', '--fstests', FIXTURE, ...kernelArgs], {
      cwd: dir,
      env: { PATH: join(dir, 'empty'), HOME: dir },
    });
    expect(noTool.code).toBe(1);
    expect(noTool.stderr).toBe(
      'ff: cannot run mmdebstrap (builds the Debian root): install it (Debian: apt-get install mmdebstrap)\n',
    );
  });
});
