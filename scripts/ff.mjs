#!/usr/bin/env node
// `ff` from a checkout: the root `ff` and `demo` scripts (`pnpm ff`, `pnpm demo`) and `bin/ff`.
// Installs and builds only when something changed (scripts/bootstrap.mjs), then runs the CLI in
// this process, so its exit status and its Ctrl-C handling are the CLI's own.
import { ensureReady } from './bootstrap.mjs';

// pnpm runs a script in the package's directory; the user typed the command in INIT_CWD
// (also with `pnpm -C <checkout> ff`). Paths on the command line and config.toml are looked up
// there, as they would be for an installed `ff`.
const env = process.env;
const ours = ['ff', 'demo'].includes(env.npm_lifecycle_event ?? '');
if (ours && env.npm_package_name === 'fast-fstests' && env.INIT_CWD) {
  try {
    process.chdir(env.INIT_CWD);
  } catch (error) {
    process.stderr.write(`ff: cannot enter ${env.INIT_CWD}: ${error.message}\n`);
    process.exit(2);
  }
}
ensureReady({ quiet: true });
await import('../apps/cli/dist/ff.js');
