/**
 * Collection benchmark, in process: the synthetic tree of 2,000 tests (see `tree.ts`), timed
 * through `collectTests` with `-g auto`. Target: under 300 ms.
 * Run: `pnpm --filter @ff/fstests exec tsx bench/collect.ts`.
 */
import { pathToFileURL } from 'node:url';
import { collectTests } from '../src/collect/collect.js';
import { makeSyntheticTree, median } from './tree.js';

/** Build the tree, time `collectTests(-g auto)` 5 times after a warm-up (median), and clean up. */
export async function benchCollect(): Promise<{ ms: number; tests: number }> {
  await using tree = await makeSyntheticTree();
  await collectTests(tree.dir, { groups: ['auto'] });
  const runs: number[] = [];
  let tests = 0;
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    tests = (await collectTests(tree.dir, { groups: ['auto'] })).tests.length;
    runs.push(performance.now() - started);
  }
  return { ms: Math.round(median(runs)), tests };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { ms, tests } = await benchCollect();
  console.log(
    `collect -g auto over 2000 test files: ${tests} tests in ${ms} ms (median of 5, target < 300 ms)`,
  );
}
