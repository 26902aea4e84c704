// Runs the shell suite: `tsx src/main.ts [--jobs N] [--retries N] [--results DIR] [DIR]`.
// Prints one line per finished test and a summary; exit 0 when nothing failed, 1 otherwise,
// 130 when interrupted.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { RunnerEvent } from '@ff/parallelrunner';
import { runShellSuite } from './suite.js';

const { values, positionals } = parseArgs({
  options: {
    jobs: { type: 'string', default: '2' },
    retries: { type: 'string', default: '1' },
    results: { type: 'string' },
  },
  allowPositionals: true,
});
const jobs = Number(values.jobs);
const retries = Number(values.retries);
if (!Number.isInteger(jobs) || jobs < 1 || !Number.isInteger(retries) || retries < 0) {
  process.stderr.write('usage: main.ts [--jobs N>=1] [--retries N>=0] [--results DIR] [DIR]\n');
  process.exit(2);
}
const dir = positionals[0] ?? join(dirname(fileURLToPath(import.meta.url)), '..', 'tests');
const controller = new AbortController();
process.once('SIGINT', () => controller.abort());

function report(event: RunnerEvent): void {
  if (event.type === 'test:retried') {
    process.stdout.write(`retry ${event.result.testId}: ${event.result.summary}\n`);
  } else if (event.type === 'test:finished') {
    const r = event.result;
    const note = r.summary ? ` (${r.summary})` : '';
    const ms = Math.round(r.durationMs);
    process.stdout.write(`${r.status.padEnd(5)} ${r.testId} ${ms}ms on ${r.supervisor}${note}\n`);
  }
}

const summary = await runShellSuite({
  dir,
  jobs,
  retries,
  ...(values.results ? { resultsDir: values.results } : {}),
  onEvent: report,
  signal: controller.signal,
});
const { pass, fail, skip, error } = summary.counts;
process.stdout.write(`shell suite: ${pass} pass, ${fail} fail, ${skip} skip, ${error} error\n`);
process.exitCode = summary.canceled ? 130 : fail + error > 0 ? 1 : 0;
