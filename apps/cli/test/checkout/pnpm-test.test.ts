/**
 * The root `pnpm test` script runs every package's tests even when one package fails, and then
 * exits non-zero. Run as written in package.json, with the repository's turbo.json, on a
 * workspace in a temp dir where two of three packages fail: with one task at a time, whichever
 * failure comes first, the other packages still run.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { REPO } from '../support/env.js';

let root: string;
const rootPackage = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as {
  packageManager: string;
  scripts: Record<string, string>;
};

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'ff-pnpm-test-'));
  await writeFile(
    join(root, 'package.json'),
    JSON.stringify({ name: 'w', private: true, packageManager: rootPackage.packageManager }),
  );
  await writeFile(join(root, 'pnpm-workspace.yaml'), 'packages:\n  - packages/*\n');
  await cp(join(REPO, 'turbo.json'), join(root, 'turbo.json'));
  // The bootstrap step has nothing to install or build here.
  await mkdir(join(root, 'scripts'));
  await writeFile(join(root, 'scripts', 'bootstrap.mjs'), '');
  for (const [name, test] of [
    ['a-fails', 'echo "a ran"; exit 1'],
    ['b-passes', 'echo "b ran"'],
    ['c-fails', 'echo "c ran"; exit 1'],
  ] as const) {
    await mkdir(join(root, 'packages', name), { recursive: true });
    await writeFile(
      join(root, 'packages', name, 'package.json'),
      JSON.stringify({ name, scripts: { test } }),
    );
  }
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

it('runs every package when some fail, and exits non-zero', () => {
  const script = rootPackage.scripts.test;
  expect(script).toBeDefined();
  const r = spawnSync('sh', ['-c', script ?? 'false'], {
    cwd: root,
    encoding: 'utf8',
    env: {
      ...process.env,
      PATH: `${join(REPO, 'node_modules', '.bin')}:${process.env.PATH ?? '/usr/bin:/bin'}`,
      TURBO_TELEMETRY_DISABLED: '1',
      DO_NOT_TRACK: '1',
    },
  });
  const output = `${r.stdout}${r.stderr}`;
  expect(output).toContain('a ran');
  expect(output).toContain('b ran');
  expect(output).toContain('c ran');
  expect(r.status).not.toBe(0);
}, 120_000);
