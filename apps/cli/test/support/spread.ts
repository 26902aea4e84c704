import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'vitest';

/**
 * Asserts how `ff`'s plain output and the run's manifest show the work spread over supervisors:
 * every one of `names` was started, and every supervisor that was ready while tests were still
 * waiting served at least one. A supervisor that came up after the others drained the queue (a
 * slow boot on loaded cores) may stay idle, or be stopped before it is ready once the run is
 * over: that is the runner's rule, not a fault.
 *
 * Returns the set of supervisors that served tests.
 */
export async function expectWorkSpread(
  stdout: string,
  resultsDir: string,
  names: readonly string[],
): Promise<Set<string>> {
  const served = new Map<string, number>();
  for (const m of stdout.matchAll(/^\[[\d:]+\] (?:PASS|FAIL|SKIP|ERROR) +\S+ \S+ on (\S+)/gm)) {
    const name = m[1] ?? '';
    served.set(name, (served.get(name) ?? 0) + 1);
  }
  const ready = new Map(
    [...stdout.matchAll(/^\[(\d+):(\d+)\] (\S+): ready after/gm)].map((m) => [
      m[3] ?? '',
      Number(m[1]) * 60 + Number(m[2]),
    ]),
  );
  const starting = [...stdout.matchAll(/^\[[\d:]+\] (\S+): starting$/gm)].map((m) => m[1]);
  expect(starting.sort()).toEqual([...names].sort());
  for (const name of ready.keys()) expect(names).toContain(name);
  const runs = await readdir(join(resultsDir, 'runs'));
  expect(runs).toHaveLength(1);
  const manifest = JSON.parse(await readFile(join(resultsDir, 'runs', runs[0] ?? ''), 'utf8')) as {
    startedAt: number;
    results: { startedAt: number }[];
  };
  const lastStart = Math.max(...manifest.results.map((x) => x.startedAt)) - manifest.startedAt;
  const counts = names.map(
    (n) => `${n} ${served.get(n) ?? 0} tests (ready ${ready.get(n) ?? '-'} s)`,
  );
  console.log(
    `work spread, last test started at ${(lastStart / 1000).toFixed(1)} s: ${counts.join(', ')}`,
  );
  for (const [name, readyAt] of ready) {
    // The clock prints whole seconds, floored: `readyAt + 1` s is surely after the ready event.
    if ((readyAt + 1) * 1000 < lastStart)
      expect(served.has(name), `${name} stayed idle`).toBe(true);
  }
  return new Set(served.keys());
}
