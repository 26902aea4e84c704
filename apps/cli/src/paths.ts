import { resolve } from 'node:path';
import type { RunArgs } from './options.js';

/**
 * The run flags whose value is a local path. A path typed on the command line means what it
 * means in the shell it was typed in: it resolves against the working directory, while a path
 * in config.toml resolves against the file's directory (the library does that).
 */
export const PATH_FLAGS = [
  'fstests',
  'exclude-tests-file',
  'mkosi.config',
  'qemu.kernel',
  'qemu.initrd',
  'qemu.image',
  'qemu.ssh-key',
  'bpftrace',
  'results-dir',
  'junit',
  'json',
] as const satisfies readonly (keyof RunArgs)[];

/** `args` with every path flag made absolute against `cwd`. */
export function resolvePathFlags(args: RunArgs, cwd: string): RunArgs {
  const out: RunArgs = { ...args };
  for (const flag of PATH_FLAGS) {
    const value = out[flag];
    if (typeof value === 'string' && value !== '') out[flag] = resolve(cwd, value);
  }
  return out;
}

/** One path flag (`ff compare --results-dir`), made absolute against `cwd`. */
export function resolvePathFlag(value: string | undefined, cwd: string): string | undefined {
  return value === undefined || value === '' ? value : resolve(cwd, value);
}
