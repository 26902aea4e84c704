/** Copies of the fixture fstests tree for tests that run its ./check. */
import { cp, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The fixture tree in the repository (never run in place: ./check writes results/). */
export const FIXTURE = new URL('../fixtures/fstests', import.meta.url).pathname;

/** A temp dir with two copies: `plain` (no sections) and `sectioned` (sections.config). */
export async function copyFixtureTrees(plainName = 'plain') {
  const root = await mkdtemp(join(tmpdir(), 'ff-fixture-'));
  const plain = join(root, plainName);
  const sectioned = join(root, 'sectioned');
  await cp(FIXTURE, plain, { recursive: true });
  await cp(FIXTURE, sectioned, { recursive: true });
  await cp(join(FIXTURE, 'configs/sections.config'), join(sectioned, 'local.config'));
  return { root, plain, sectioned };
}
