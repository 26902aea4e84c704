import { resolve } from 'node:path';
import { loadConfig, mergeConfig } from '@ff/fstests';
import { ResultsStore, compare, formatComparison } from '@ff/parallelrunner';
import { EXIT } from '../exit-codes.js';
import { missingSource, noResultsYet } from '../hints.js';
import { type CliIo, println } from '../io.js';
import { resolvePathFlag } from '../paths.js';

/** Open the results directory named by `--results-dir` or `[output] results_dir`. */
async function openStore(
  resultsDir: string | undefined,
  io: CliIo,
  what: string,
): Promise<ResultsStore> {
  const loaded = await loadConfig({ cwd: io.cwd, env: io.env });
  const results_dir = resolvePathFlag(resultsDir, io.cwd);
  const config = mergeConfig(loaded, { output: { results_dir } });
  const dir = resolve(loaded.baseDir, config.output.results_dir);
  return ResultsStore.open(dir, { create: false }).catch((error: unknown) => {
    throw noResultsYet(dir, error, what);
  });
}

/** Say that what was recorded is not one complete run (`Recording.partial`). */
export function notePartial(partial: string | null, io: CliIo): void {
  if (partial !== null) println(io.stderr, `note: the recorded results are partial: ${partial}`);
}

/**
 * `ff compare [-a SRC] [-b SRC]`: what changed from A (default: the newest recording) to B
 * (default: the latest results). Exit 1 when B has regressions, else 0. A partial side is named
 * in the comparison ("Note: B is partial: ...").
 */
export async function compareCommand(
  args: {
    a?: string | undefined;
    b?: string | undefined;
    json?: boolean | undefined;
    'results-dir'?: string | undefined;
  },
  io: CliIo,
): Promise<number> {
  const store = await openStore(args['results-dir'], io, 'nothing to compare');
  const [a, b] = await Promise.all([store.loadRun(args.a ?? '-1'), store.loadRun(args.b)]).catch(
    (error: unknown) => {
      throw missingSource(error);
    },
  );
  const comparison = compare(a, b);
  if (args.json) println(io.stdout, JSON.stringify(comparison, null, 2));
  else io.stdout.write(formatComparison(comparison).replace(/\n?$/, '\n'));
  return comparison.regressions.length > 0 ? EXIT.failures : EXIT.ok;
}

/** `ff record [LABEL]`: snapshot the latest results under `recordings/LABEL`. */
export async function recordCommand(
  args: { label?: string | undefined; 'results-dir'?: string | undefined },
  io: CliIo,
): Promise<number> {
  const store = await openStore(args['results-dir'], io, 'nothing to record');
  const recording = await store.record(args.label).catch((error: unknown) => {
    throw missingSource(error);
  });
  println(
    io.stdout,
    `recorded ${recording.tests} tests as "${recording.label}" in ${recording.dir}`,
  );
  notePartial(recording.partial, io);
  return EXIT.ok;
}
