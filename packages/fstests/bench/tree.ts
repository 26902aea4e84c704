/**
 * A synthetic fstests tree for the collection benchmarks: 2,000 test files about the size of
 * real ones, each with its `_begin_fstest` line near the top and no `group.list`, so collection
 * reads the head of every file.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median as sharedMedian } from '@ff/parallelrunner';

/** How the synthetic tree is split over test directories (2,000 tests in all). */
const LAYOUT: Readonly<Record<string, number>> = { generic: 800, xfs: 600, btrfs: 350, ext4: 250 };
const GROUPS = ['quick', 'rw', 'metadata', 'log', 'prealloc', 'clone', 'punch', 'stress'];

/** A test file about the size of a real one; every tenth is in `dangerous` instead of `auto`. */
function script(index: number): string {
  const groups = [index % 10 === 9 ? 'dangerous' : 'auto'];
  for (let g = 0; g < GROUPS.length; g++) if ((index >> g) % 3 === 0) groups.push(GROUPS[g] ?? '');
  const body = 'echo "Silence is golden"\n'.repeat(60);
  return `#! /bin/bash\n# SPDX-License-Identifier: GPL-2.0\n# Copyright (c) 2026 Bench.\n#\n# FS QA Test No. ${index}\n#\n. ./common/preamble\n_begin_fstest ${groups.join(' ')}\n\n. ./common/filter\n_require_scratch\n\n${body}status=0\nexit\n`;
}

/** A synthetic tree in a temp dir, removed on dispose. */
export interface SyntheticTree extends AsyncDisposable {
  /** The fstests root (holds `tests/<dir>/<NNN>` and `.out` files). */
  readonly dir: string;
  /** Number of test files written (2,000). */
  readonly tests: number;
}

/** Write the synthetic tree under a fresh temp dir. */
export async function makeSyntheticTree(): Promise<SyntheticTree> {
  const dir = await mkdtemp(join(tmpdir(), 'ff-bench-tree-'));
  const dispose = () => rm(dir, { recursive: true, force: true });
  try {
    let index = 0;
    for (const [testDir, count] of Object.entries(LAYOUT)) {
      await mkdir(join(dir, 'tests', testDir), { recursive: true });
      for (let i = 1; i <= count; i++, index++) {
        const name = String(i).padStart(3, '0');
        await writeFile(join(dir, 'tests', testDir, name), script(index));
        await writeFile(
          join(dir, 'tests', testDir, `${name}.out`),
          `QA output created by ${name}\n`,
        );
      }
    }
    return { dir, tests: index, [Symbol.asyncDispose]: dispose };
  } catch (error) {
    await dispose();
    throw error;
  }
}

/** Median of `values` in ms, 0 for none (the runner's own `median`). */
export function median(values: readonly number[]): number {
  return Math.round(sharedMedian(values) ?? 0);
}
