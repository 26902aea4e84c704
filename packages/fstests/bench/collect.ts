/**
 * Collection benchmark: a synthetic fstests tree of 2,000 tests (no group.list, so every
 * file's head is read), timed through `collectTests` with `-g auto`. Target: under 300 ms.
 * Run: `pnpm --filter @ff/fstests exec tsx bench/collect.ts`.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { collectTests } from '../src/collect/collect.js';

/** How the synthetic tree is split over test directories. */
const LAYOUT: Readonly<Record<string, number>> = { generic: 800, xfs: 600, btrfs: 350, ext4: 250 };
const GROUPS = ['quick', 'rw', 'metadata', 'log', 'prealloc', 'clone', 'punch', 'stress'];

/** A test file about the size of a real one, its `_begin_fstest` line near the top. */
function script(index: number): string {
  const groups = [index % 10 === 9 ? 'dangerous' : 'auto'];
  for (let g = 0; g < GROUPS.length; g++) if ((index >> g) % 3 === 0) groups.push(GROUPS[g] ?? '');
  const body = 'echo "Silence is golden"\n'.repeat(60);
  return `#! /bin/bash\n# SPDX-License-Identifier: GPL-2.0\n# Copyright (c) 2026 Bench.\n#\n# FS QA Test No. ${index}\n#\n. ./common/preamble\n_begin_fstest ${groups.join(' ')}\n\n. ./common/filter\n_require_scratch\n\n${body}status=0\nexit\n`;
}

/** Build the tree, time one `collectTests(-g auto)` after a warm-up, and clean up. */
export async function benchCollect(): Promise<{ ms: number; tests: number }> {
  const dir = await mkdtemp(join(tmpdir(), 'ff-bench-collect-'));
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
    await collectTests(dir, { groups: ['auto'] });
    const runs: number[] = [];
    let tests = 0;
    for (let i = 0; i < 5; i++) {
      const started = performance.now();
      tests = (await collectTests(dir, { groups: ['auto'] })).tests.length;
      runs.push(performance.now() - started);
    }
    runs.sort((a, b) => a - b);
    return { ms: Math.round(runs[Math.floor(runs.length / 2)] ?? 0), tests };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { ms, tests } = await benchCollect();
  console.log(
    `collect -g auto over 2000 test files: ${tests} tests in ${ms} ms (median of 5, target < 300 ms)`,
  );
}
