/** Temporary fstests-shaped trees for collection tests. */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A temporary directory removed on dispose. */
export interface TempTree extends AsyncDisposable {
  readonly dir: string;
}

/** Create a temp dir holding `files` (relative path -> content). */
export async function makeTree(files: Readonly<Record<string, string>>): Promise<TempTree> {
  const dir = await mkdtemp(join(tmpdir(), 'ff-fstests-'));
  for (const [path, content] of Object.entries(files)) {
    const full = join(dir, path);
    await mkdir(dirname(full), { recursive: true });
    await writeFile(full, content);
  }
  return { dir, [Symbol.asyncDispose]: () => rm(dir, { recursive: true, force: true }) };
}

/** The text of a test file declaring `groups` on its `_begin_fstest` line. */
export function testScript(groups: string): string {
  return `#! /bin/bash\n# SPDX-License-Identifier: GPL-2.0\n#\n. ./common/preamble\n_begin_fstest ${groups}\n\necho "Silence is golden"\nstatus=0\nexit\n`;
}
