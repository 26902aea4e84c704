/**
 * buildImage's orchestration against a stand-in mmdebstrap (test/fixtures/image/mmdebstrap):
 * steps and progress, the cache, a failed step, a missing tool, an abort. The real build runs
 * in apps/cli/test/real-fstests.e2e.test.ts.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildImage } from '../../src/image/build-image.js';
import { ImageStepError, ImageToolMissingError } from '../../src/image/errors.js';
import {
  IMAGE_STEPS,
  type ImageBuildOptions,
  type ImageProgress,
} from '../../src/image/options.js';
import { alive } from '../support/processes.js';

const fixtures = resolve(import.meta.dirname, '../fixtures/image');
const PATH = process.env.PATH ?? '/usr/bin:/bin';
let dir: string;
let base: ImageBuildOptions;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ff-image-'));
  const fstests = join(dir, 'fstests');
  await mkdir(join(fstests, 'tests', 'generic'), { recursive: true });
  await writeFile(join(fstests, 'check'), '#!/bin/bash\n', { mode: 0o755 });
  const kernel = join(dir, 'bzImage');
  const header = Buffer.alloc(0x400);
  header.write('HdrS', 0x202, 'latin1');
  header.writeUInt16LE(0x100, 0x20e);
  header.write('6.99.0-test #1 SMP\0', 0x300, 'latin1');
  await writeFile(kernel, header);
  const modules = join(dir, 'mods', 'lib', 'modules', '6.99.0-test');
  await mkdir(modules, { recursive: true });
  await writeFile(join(modules, 'modules.dep'), '');
  base = { fstests, kernel, modules: join(dir, 'mods'), jobs: 1 };
  process.env.PATH = `${fixtures}:${PATH}`;
  process.env.FF_FAKE_LOG = join(dir, 'runs.log');
  process.env.FF_FAKE_PIDS = join(dir, 'pids');
});

afterEach(() => {
  process.env.PATH = `${fixtures}:${PATH}`;
  process.env.FF_FAKE_MMDEBSTRAP = 'ok';
});

afterAll(async () => {
  process.env.PATH = PATH;
  await rm(dir, { recursive: true, force: true });
});

const runs = async () =>
  (await readFile(join(dir, 'runs.log'), 'utf8').catch(() => '')).split('\n').filter(Boolean);

describe('buildImage', () => {
  it('runs the steps in order, writes the image with its snippet, then finds it in the cache', async () => {
    const cacheDir = join(dir, 'cache1');
    const events: ImageProgress[] = [];
    const built = await buildImage({ ...base, cacheDir, onProgress: (e) => events.push(e) });
    expect(built.cached).toBe(false);
    // Every step in order; `convert` is for qcow2 only.
    expect(events.filter((e) => e.type === 'step').map((e) => e.step)).toEqual(
      IMAGE_STEPS.filter((s) => s !== 'convert'),
    );
    expect(built).toMatchObject({
      dir: join(cacheDir, built.fingerprint),
      image: join(cacheDir, built.fingerprint, 'rootfs.raw'),
      initrd: join(cacheDir, built.fingerprint, 'initrd.img'),
      kernel: base.kernel,
      kernelVersion: '6.99.0-test',
      sshKey: join(cacheDir, 'id_ed25519'),
      fstests: base.fstests,
      fstyp: 'ext4',
      scratchDrives: ['3G', '3G'],
    });
    expect(existsSync(built.image)).toBe(true);
    expect(await readFile(join(built.dir, 'config.toml'), 'utf8')).toContain(
      `image = ${JSON.stringify(built.image)}`,
    );
    expect(await readFile(built.logPath, 'utf8')).toContain('ff-image: step disk');
    // Nothing but the image, the base tarball, the key and the logs stays in the cache.
    expect((await readdir(cacheDir)).sort()).toEqual(
      [
        built.fingerprint,
        'id_ed25519',
        'id_ed25519.pub',
        'logs',
        expect.stringMatching(/^base-bookworm-[0-9a-f]{16}\.tar$/),
      ].sort(),
    );
    expect(await runs()).toEqual(['base', 'image']);

    const again = await buildImage({ ...base, cacheDir });
    expect(again).toEqual({ ...built, cached: true });
    expect(await runs()).toEqual(['base', 'image']);

    // Another FSTYP is another image, on the same base system.
    const xfs = await buildImage({ ...base, cacheDir, fstyp: 'xfs' });
    expect(xfs.fingerprint).not.toBe(built.fingerprint);
    expect(await runs()).toEqual(['base', 'image', 'image']);
  });

  it('names the failed step, keeps the log and leaves nothing half-built', async () => {
    const cacheDir = join(dir, 'cache2');
    process.env.FF_FAKE_MMDEBSTRAP = 'fail-build';
    const error = await buildImage({ ...base, cacheDir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImageStepError);
    const step = error as ImageStepError;
    expect(step.step).toBe('fstests-build');
    expect(step.message).toMatch(
      /^image build step "fstests-build" failed \(exit status 1\); full log: /,
    );
    expect(step.message).toContain('make: *** [Makefile:50: default] Error 2');
    expect(await readFile(step.logPath, 'utf8')).toContain("error: expected ';'");
    const left = await readdir(cacheDir);
    expect(
      left.filter((n) => !n.startsWith('base-') && !n.startsWith('id_') && n !== 'logs'),
    ).toEqual([]);
  });

  it('names a missing program and its Debian package before doing anything', async () => {
    process.env.PATH = join(dir, 'empty');
    await expect(buildImage({ ...base, cacheDir: join(dir, 'cache3') })).rejects.toThrow(
      new ImageToolMissingError('mmdebstrap', 'mmdebstrap', 'builds the Debian root'),
    );
    expect(existsSync(join(dir, 'cache3'))).toBe(false);
  });

  it('stops the running step when aborted and keeps nothing of it', async () => {
    const cacheDir = join(dir, 'cache4');
    process.env.FF_FAKE_MMDEBSTRAP = 'hang';
    const controller = new AbortController();
    const reason = new Error('interrupted');
    const building = buildImage({
      ...base,
      cacheDir,
      signal: controller.signal,
      onProgress: (e) => {
        if (e.type === 'output' && e.line.startsWith('I: downloading')) controller.abort(reason);
      },
    });
    await expect(building).rejects.toBe(reason);
    const pids = (await readFile(join(dir, 'pids'), 'utf8')).trim().split('\n').map(Number);
    expect(pids.filter(alive)).toEqual([]);
    expect(
      (await readdir(cacheDir)).filter((n) => n.startsWith('.work') || n.startsWith('base-')),
    ).toEqual([]);
  });
});
