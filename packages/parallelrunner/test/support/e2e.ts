/**
 * End-to-end test files need real tools: OpenSSH's sshd, QEMU, busybox. Outside CI, a file
 * whose tools are missing is skipped and says why on stderr; with `CI` set nothing is skipped,
 * so a missing tool fails the run (CI must run every test). Used by every package's tests.
 */
import { constants, accessSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { describe, it } from 'vitest';

/** The tools end-to-end tests need, and where each is looked for (a path, or a name on PATH). */
const TOOLS = {
  sshd: '/usr/sbin/sshd',
  qemu: 'qemu-system-x86_64',
  'qemu-img': 'qemu-img',
  busybox: 'busybox',
} as const;

/** A tool of `TOOLS`. */
export type Tool = keyof typeof TOOLS;

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function installed(tool: Tool): boolean {
  const file = TOOLS[tool];
  if (file.includes('/')) return executable(file);
  return (process.env.PATH ?? '').split(delimiter).some((dir) => executable(join(dir, file)));
}

/** `CI` is set (and not `0` or `false`), as on the CI machine. */
export function inCi(): boolean {
  const ci = process.env.CI;
  return ci !== undefined && ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false';
}

/** Why tests needing `tools` cannot run here, or undefined when they can (always under CI). */
export function missingTools(...tools: readonly Tool[]): string | undefined {
  if (inCi()) return undefined;
  const missing = tools.filter((tool) => !installed(tool)).map((tool) => TOOLS[tool]);
  if (missing.length === 0) return undefined;
  return `${missing.join(', ')} not installed (with CI=1 these tests run anyway, and fail)`;
}

/** Whether to skip tests needing `tools`; says why on stderr when so. */
function skip(tools: readonly Tool[]): boolean {
  const reason = missingTools(...tools);
  if (reason !== undefined) process.stderr.write(`tests skipped: ${reason}\n`);
  return reason !== undefined;
}

/**
 * `describe` for a file of tests needing `tools`: skipped (saying why on stderr) when one is
 * missing outside CI. A file whose tests are all skipped runs none of its hooks either.
 */
export function describeWith(...tools: readonly Tool[]): ReturnType<typeof describe.skipIf> {
  return describe.skipIf(skip(tools));
}

/** `it` for one test needing `tools`, skipped like `describeWith`. */
export function itWith(...tools: readonly Tool[]): ReturnType<typeof it.skipIf> {
  return it.skipIf(skip(tools));
}
