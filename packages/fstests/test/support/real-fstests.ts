/**
 * The real fstests tree vendored next to the repository (`../shared/vendor`, see its README),
 * for tests and benchmarks that build an image from it. Absent in a user's fresh clone: callers
 * skip with `realFstestsMissing()` as the reason.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import {
  type BuildImageResult,
  type ImageBuildOptions,
  buildImage,
} from '../../src/image/index.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');

/**
 * `../shared` next to the repository (or next to its parent, for a git worktree in a
 * subdirectory), or `FF_SHARED_DIR`.
 */
export const SHARED_DIR =
  process.env.FF_SHARED_DIR ??
  [resolve(repoRoot, '..', 'shared'), resolve(repoRoot, '..', '..', 'shared')].find((dir) =>
    existsSync(join(dir, 'vendor')),
  ) ??
  resolve(repoRoot, '..', 'shared');

/** The vendored fstests tree (kdave/xfstests at 63a29724a85f). */
export const FSTESTS_TARBALL = join(SHARED_DIR, 'vendor', 'fstests-63a2972.tar.gz');

/** Why the real-fstests tests cannot run here, or undefined when they can. */
export function realFstestsMissing(): string | undefined {
  return existsSync(FSTESTS_TARBALL)
    ? undefined
    : `needs the vendored fstests tree ${FSTESTS_TARBALL} (../shared next to the repository, or FF_SHARED_DIR; present in CI)`;
}

/**
 * Where images built from it are cached for this run: `FF_TEST_IMAGE_CACHE` (.ci/run sets one
 * per CI run, shared by its tests), else `fallback` (a test's own temp dir).
 */
export function testImageCacheDir(fallback: string): string {
  return process.env.FF_TEST_IMAGE_CACHE ?? fallback;
}

/** Unpack the vendored tree into `dir` and return the path of the checkout (`dir/fstests`). */
export async function unpackRealFstests(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  await promisify(execFile)('tar', ['-xzf', FSTESTS_TARBALL, '-C', dir]);
  return join(dir, 'fstests');
}

/**
 * The image built from the vendored tree for the host's kernel (as `ff image build` builds it),
 * from `testImageCacheDir` when a test of this run built it already. The tree is unpacked under
 * `workDir`; the image's hash does not depend on where.
 */
export async function ensureRealImage(
  workDir: string,
  options: { onProgress?: ImageBuildOptions['onProgress'] } = {},
): Promise<BuildImageResult> {
  const fstests = await unpackRealFstests(join(workDir, 'src'));
  return buildImage({
    fstests,
    cacheDir: testImageCacheDir(join(tmpdir(), 'ff-test-images')),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
}
