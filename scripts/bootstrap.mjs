#!/usr/bin/env node
// Makes a checkout runnable: installs the dependencies when they are missing or older than the
// lockfile, and builds the workspace when a build input changed since the last build. Used by
// the root `test` and `bench` scripts and by `scripts/ff.mjs` (`pnpm ff`, `pnpm demo`, `bin/ff`),
// so the README's quickstart works on a fresh clone with nothing but Node and pnpm.
//
// When nothing changed the check costs a few milliseconds: it compares the modification times
// of the build inputs (turbo.json's `build` inputs of every workspace package that has a build
// script, plus the lockfile, the installed modules and the shared configs) with a stamp written
// after the last successful build; a directory's own time catches added and removed files.
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The checkout this script belongs to. */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The stamp file, relative to the root: its mtime is when the last successful build started. */
export const STAMP = join('node_modules', '.cache', 'fast-fstests', 'build-stamp');

const SHARED_INPUTS = ['pnpm-lock.yaml', 'tsconfig.base.json', 'turbo.json'];

/** Workspace package directories (the `dir/*` globs of pnpm-workspace.yaml). */
function workspacePackages(root) {
  const yaml = readFileSync(join(root, 'pnpm-workspace.yaml'), 'utf8');
  const dirs = [];
  for (const match of yaml.matchAll(/^\s*-\s*['"]?([^'"\s#]+)['"]?/gm)) {
    const glob = match[1] ?? '';
    if (!glob.endsWith('/*')) {
      dirs.push(join(root, glob));
      continue;
    }
    const parent = join(root, glob.slice(0, -2));
    for (const entry of readdirSync(parent, { withFileTypes: true })) {
      if (entry.isDirectory()) dirs.push(join(parent, entry.name));
    }
  }
  return dirs.filter((dir) => existsSync(join(dir, 'package.json')));
}

/** Tracks the newest modification time seen, and the path that has it. */
class Newest {
  mtimeMs = 0;
  path = '';

  /** Visit `path` and, for a directory, everything below it. A missing path is skipped. */
  visit(path) {
    let info;
    try {
      info = statSync(path);
    } catch {
      return;
    }
    if (info.mtimeMs > this.mtimeMs) {
      this.mtimeMs = info.mtimeMs;
      this.path = path;
    }
    if (info.isDirectory()) for (const name of readdirSync(path)) this.visit(join(path, name));
  }

  /** Visit one package's build inputs, given turbo.json's `build` inputs. */
  visitInputs(dir, inputs) {
    for (const input of inputs) {
      if (input.endsWith('/**')) {
        this.visit(join(dir, input.slice(0, -3)));
      } else if (input.includes('*')) {
        const re = wildcard(input);
        for (const name of readdirSync(dir)) if (re.test(name)) this.visit(join(dir, name));
      } else {
        this.visit(join(dir, input));
      }
    }
  }
}

/** `tsconfig*.json` as a regular expression (only `*` is a wildcard). */
function wildcard(pattern) {
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${escaped.replaceAll('*', '.*')}$`);
}

/**
 * Whether the workspace at `root` needs a build: `undefined` when it is up to date, else the
 * reason (no stamp yet, a package has no `dist/`, or the newest input changed after the stamp).
 */
export function buildStaleness(root = ROOT) {
  let stamp;
  try {
    stamp = statSync(join(root, STAMP)).mtimeMs;
  } catch {
    return 'no build recorded yet';
  }
  const turbo = JSON.parse(readFileSync(join(root, 'turbo.json'), 'utf8'));
  const inputs = turbo.tasks?.build?.inputs ?? ['src/**', 'package.json'];
  const newest = new Newest();
  for (const file of [...SHARED_INPUTS, join('node_modules', '.modules.yaml')]) {
    newest.visit(join(root, file));
  }
  for (const dir of workspacePackages(root)) {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    if (pkg.scripts?.build === undefined) continue;
    if (!existsSync(join(dir, 'dist'))) return `${relative(root, dir)}/dist is missing`;
    newest.visitInputs(dir, inputs);
  }
  if (newest.mtimeMs > stamp) return `${relative(root, newest.path)} changed since the last build`;
  return undefined;
}

/** Record a successful build that started at `startedAtMs`. */
export function markBuilt(root, startedAtMs) {
  const path = join(root, STAMP);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, 'build inputs older than this file are built\n');
  const when = new Date(startedAtMs);
  utimesSync(path, when, when);
}

function needsInstall(root) {
  const marker = join(root, 'node_modules', '.modules.yaml');
  const lock = join(root, 'pnpm-lock.yaml');
  if (!existsSync(marker)) return true;
  return existsSync(lock) && statSync(lock).mtimeMs > statSync(marker).mtimeMs;
}

/**
 * Install when needed, build when stale. `quiet` keeps the tools' output off stdout (it may be
 * a completion script or a report) and says on stderr what it does and why. Exits on failure.
 */
export function ensureReady({ root = ROOT, quiet = false } = {}) {
  const run = (cmd, args) => {
    const r = spawnSync(cmd, args, {
      cwd: root,
      stdio: quiet ? ['ignore', 'ignore', 'inherit'] : 'inherit',
    });
    if (r.status !== 0) {
      const how = r.error ? r.error.message : `exit ${r.status ?? r.signal}`;
      process.stderr.write(`bootstrap: \`${cmd} ${args.join(' ')}\` failed (${how})\n`);
      process.exit(r.status ?? 1);
    }
  };
  if (needsInstall(root)) {
    if (quiet) process.stderr.write('bootstrap: installing the dependencies (pnpm install)\n');
    run('pnpm', ['install', '--frozen-lockfile', '--prefer-offline']);
  }
  const stale = buildStaleness(root);
  if (stale === undefined) return;
  if (quiet) process.stderr.write(`bootstrap: building the workspace (${stale})\n`);
  const startedAt = Date.now();
  run('pnpm', ['exec', 'turbo', 'run', 'build', '--output-logs=errors-only']);
  markBuilt(root, startedAt);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  ensureReady({ quiet: process.argv.includes('--quiet') });
}
