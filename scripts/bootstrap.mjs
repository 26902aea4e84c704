#!/usr/bin/env node
// Makes a fresh clone runnable: installs dependencies when they are missing or stale and
// builds the workspace. Used by the root `test`, `bench`, `ff` and `demo` scripts so that the
// README's quickstart works on a fresh clone with nothing but Node and pnpm.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const quiet = process.argv.includes('--quiet');
const run = (cmd, args) => {
  const r = spawnSync(cmd, args, {
    cwd: root,
    stdio: quiet ? ['ignore', 'ignore', 'inherit'] : 'inherit',
  });
  if (r.status !== 0) {
    process.stderr.write(`bootstrap: \`${cmd} ${args.join(' ')}\` failed (exit ${r.status})\n`);
    process.exit(r.status ?? 1);
  }
};
const marker = join(root, 'node_modules', '.modules.yaml');
const lock = join(root, 'pnpm-lock.yaml');
if (
  !existsSync(marker) ||
  (existsSync(lock) && statSync(lock).mtimeMs > statSync(marker).mtimeMs)
) {
  run('pnpm', ['install', '--frozen-lockfile', '--prefer-offline']);
}
run('pnpm', ['exec', 'turbo', 'run', 'build', '--output-logs=errors-only']);
