import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Config } from '@ff/fstests';
import type { ResultsStore, RunSummary } from '@ff/parallelrunner';
import { jsonReport, junitXml } from '@ff/parallelrunner';
import { notePartial } from './commands/results.js';
import { type CliIo, println } from './io.js';

/** Write `--junit`/`--json` reports and `--record` the run, as `[output]` asks. */
export async function writeReports(
  summary: RunSummary,
  store: ResultsStore,
  config: Config,
  io: CliIo,
  baseDir: string,
): Promise<void> {
  if (config.output.junit !== undefined) {
    const path = resolve(baseDir, config.output.junit);
    await writeFile(path, junitXml(summary, { suiteName: 'fstests' }));
    println(io.stderr, `JUnit report: ${path}`);
  }
  if (config.output.json !== undefined) {
    const path = resolve(baseDir, config.output.json);
    await writeFile(
      path,
      `${JSON.stringify(jsonReport(summary, { resultsDir: store.dir }), null, 2)}\n`,
    );
    println(io.stderr, `JSON report: ${path}`);
  }
  if (config.output.record !== undefined) {
    const rec = await store.record(config.output.record === '' ? undefined : config.output.record);
    println(io.stderr, `recorded as "${rec.label}" (${rec.tests} tests)`);
    notePartial(rec.partial, io);
  }
  println(io.stderr, `results: ${store.dir}`);
}
