/**
 * scripts/bootstrap.mjs, which `pnpm ff`, `pnpm demo`, `pnpm test` and `bin/ff` run first:
 * it builds only when a build input is newer than the stamp of the last build. Tested on a
 * small workspace of the same shape in a temp dir, with a stand-in `turbo` that records calls.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, cp, mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { STAMP, buildStaleness, markBuilt } from '../../../../scripts/bootstrap.mjs';
import { REPO } from '../support/env.js';

let root: string;
/** The lockfile pnpm writes for this workspace (no dependencies). */
const LOCKFILE = [
  "lockfileVersion: '9.0'",
  '',
  'settings:',
  '  autoInstallPeers: true',
  '  excludeLinksFromLockfile: false',
  '',
  'importers:',
  '',
  '  .: {}',
  '',
  '  apps/tool: {}',
  '',
  '  packages/lib: {}',
  '',
].join('\n');
/** A time well in the past: every file starts there, so later times are "changes". */
const T0 = Date.now() - 3_600_000;

async function file(path: string, text: string, mtimeMs = T0): Promise<void> {
  const full = join(root, path);
  await mkdir(dirname(full), { recursive: true });
  await writeFile(full, text);
  await touch(path, mtimeMs);
}
async function touch(path: string, mtimeMs: number): Promise<void> {
  const when = new Date(mtimeMs);
  await utimes(join(root, path), when, when);
}

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'ff-bootstrap-'));
  await cp(join(REPO, 'turbo.json'), join(root, 'turbo.json'));
  await touch('turbo.json', T0);
  await file('package.json', '{"name":"w","private":true,"packageManager":"pnpm@9.15.9"}\n');
  await file('pnpm-workspace.yaml', 'packages:\n  - packages/*\n  - apps/*\n');
  await file('pnpm-lock.yaml', "lockfileVersion: '9.0'\n");
  await file('tsconfig.base.json', '{}\n');
  await file('packages/lib/package.json', '{"name":"lib","scripts":{"build":"tsup"}}\n');
  await file('packages/lib/tsconfig.json', '{}\n');
  await file('packages/lib/src/sub/x.ts', 'export const x = 1;\n');
  await file('packages/lib/dist/index.js', '');
  await file('apps/tool/package.json', '{"name":"tool","scripts":{"test":"vitest"}}\n');
  await file('apps/tool/src/y.ts', 'export const y = 1;\n');
  // Installed (newer than the lockfile), and a stand-in turbo that "builds" lib.
  await file('node_modules/.modules.yaml', 'layoutVersion: 5\n', T0 + 1000);
  await file(
    'node_modules/.bin/turbo',
    '#!/bin/sh\necho "turbo $*" >> "$PWD/turbo-calls"\nmkdir -p packages/lib/dist\n',
  );
  await chmod(join(root, 'node_modules/.bin/turbo'), 0o755);
  for (const dir of ['packages/lib/src/sub', 'packages/lib/src', 'apps/tool/src']) {
    await touch(dir, T0);
  }
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('buildStaleness', () => {
  it('is stale until a build is recorded, then fresh until an input changes', async () => {
    expect(buildStaleness(root)).toBe('no build recorded yet');
    markBuilt(root, T0 + 10_000);
    expect(buildStaleness(root)).toBeUndefined();
    await touch('packages/lib/src/sub/x.ts', T0 + 20_000);
    expect(buildStaleness(root)).toBe('packages/lib/src/sub/x.ts changed since the last build');
    markBuilt(root, T0 + 30_000);
    expect(buildStaleness(root)).toBeUndefined();
  });

  it("sees an added or removed file (its directory's time), configs and the lockfile", async () => {
    markBuilt(root, T0 + 10_000);
    await file('packages/lib/src/sub/new.ts', 'export {};\n'); // old mtime; the dir is new
    expect(buildStaleness(root)).toBe('packages/lib/src/sub changed since the last build');
    markBuilt(root, Date.now() + 60_000);
    await touch('packages/lib/tsconfig.json', Date.now() + 120_000);
    expect(buildStaleness(root)).toBe('packages/lib/tsconfig.json changed since the last build');
    markBuilt(root, Date.now() + 180_000);
    await touch('pnpm-lock.yaml', Date.now() + 240_000);
    expect(buildStaleness(root)).toBe('pnpm-lock.yaml changed since the last build');
  });

  it('ignores packages without a build script; a missing dist/ is stale', async () => {
    markBuilt(root, T0 + 10_000);
    await touch('apps/tool/src/y.ts', T0 + 20_000);
    expect(buildStaleness(root)).toBeUndefined();
    await rm(join(root, 'packages/lib/dist'), { recursive: true });
    expect(buildStaleness(root)).toBe('packages/lib/dist is missing');
  });
});

describe('ensureReady', () => {
  const ensure = () =>
    spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const m = await import(${JSON.stringify(join(REPO, 'scripts', 'bootstrap.mjs'))});` +
          `m.ensureReady({ root: ${JSON.stringify(root)}, quiet: true });`,
      ],
      { encoding: 'utf8' },
    );
  const calls = () => {
    const path = join(root, 'turbo-calls');
    return existsSync(path) ? readFileSync(path, 'utf8').trim().split('\n') : [];
  };

  it('builds once when stale, says why on stderr only, then does nothing', async () => {
    const first = ensure();
    expect(first.status).toBe(0);
    expect(first.stdout).toBe('');
    expect(first.stderr).toBe('bootstrap: building the workspace (no build recorded yet)\n');
    expect(calls()).toEqual(['turbo run build --output-logs=errors-only']);
    expect(existsSync(join(root, STAMP))).toBe(true);
    const again = ensure();
    expect(again).toMatchObject({ status: 0, stdout: '', stderr: '' });
    expect(calls()).toHaveLength(1);
    await touch('packages/lib/src/sub/x.ts', Date.now() + 60_000);
    expect(ensure().stderr).toBe(
      'bootstrap: building the workspace (packages/lib/src/sub/x.ts changed since the last build)\n',
    );
    expect(calls()).toHaveLength(2);
  });

  it('installs first when node_modules is missing, saying so', async () => {
    await rm(join(root, 'node_modules', '.modules.yaml'));
    await file('pnpm-lock.yaml', LOCKFILE);
    const r = ensure();
    expect(r.status).toBe(0);
    expect(r.stderr).toBe(
      'bootstrap: installing the dependencies (pnpm install)\n' +
        'bootstrap: building the workspace (no build recorded yet)\n',
    );
    expect(r.stdout).toBe('');
  });
});
