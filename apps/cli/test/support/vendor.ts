import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO } from './env.js';

/** The real fstests tree's tarball (see ../shared/vendor/README.md). */
const FSTESTS_TARBALL = 'fstests-63a2972.tar.gz';

/**
 * The vendor directory of `FF_SHARED_DIR`, else of `../shared` beside the checkout (or beside
 * its parent, for a worktree), holding upstream trees for tests; `undefined` in a user's fresh
 * clone, where such tests skip.
 */
export function vendorDir(): string | undefined {
  const shared = process.env.FF_SHARED_DIR;
  const candidates = [
    ...(shared === undefined || shared === '' ? [] : [join(shared, 'vendor')]),
    join(REPO, '..', 'shared', 'vendor'),
    join(REPO, '..', '..', 'shared', 'vendor'),
  ];
  return candidates.find((dir) => existsSync(join(dir, FSTESTS_TARBALL)));
}

/** Why tests on the real fstests tree skip, or `undefined` when they can run. */
export const realFstestsMissing =
  vendorDir() === undefined
    ? `no vendor/${FSTESTS_TARBALL} in FF_SHARED_DIR or ../shared beside the checkout (a fresh clone has none; CI has it)`
    : undefined;

/** Unpack the real fstests tree into a new temp dir; returns the tree's path. */
export async function unpackRealFstests(): Promise<string> {
  const vendor = vendorDir();
  if (vendor === undefined) throw new Error(realFstestsMissing);
  const dir = await mkdtemp(join(tmpdir(), 'ff-real-fstests-'));
  execFileSync('tar', ['-xzf', join(vendor, FSTESTS_TARBALL), '-C', dir]);
  return join(dir, 'fstests');
}
