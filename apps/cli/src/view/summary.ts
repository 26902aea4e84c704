import type { Config } from '@ff/fstests';
import type { RunSummary } from '@ff/parallelrunner';
import { summaryData } from '@ff/parallelrunner';
import Table from 'cli-table3';
import { type CliIo, println } from '../io.js';
import { type Paint, formatDuration, paintStatus } from './format.js';

function table(head: string[], paint: Paint): Table.Table {
  return new Table({ head: head.map((h) => paint.bold(h)), style: { head: [], border: [] } });
}

/** Print the end-of-run summary as cli-table3 tables, as `[output]` asks. */
export function printSummary(summary: RunSummary, config: Config, paint: Paint, io: CliIo): void {
  const data = summaryData(summary, { slowest: config.output.print_n_slowest });
  const out = (line = '') => println(io.stdout, line);
  out();

  const counts = table(
    ['pass', 'fail', 'skip', 'error', 'unfinished', 'total', 'wall time', 'test time'],
    paint,
  );
  counts.push([
    paint.green(String(data.counts.pass)),
    paint.red(String(data.counts.fail)),
    paint.yellow(String(data.counts.skip)),
    paint.red(String(data.counts.error)),
    String(data.unfinished.length),
    String(data.total),
    formatDuration(data.totalMs),
    formatDuration(data.testTimeMs),
  ]);
  out(counts.toString());

  if (data.failures.length > 0) {
    const columns =
      io.stdout.columns !== undefined && io.stdout.columns > 0 ? io.stdout.columns : 120;
    const idWidth = Math.max(6, ...data.failures.map((f) => f.id.length)) + 2;
    const failures = new Table({
      head: ['status', 'test', 'summary'].map((h) => paint.bold(h)),
      style: { head: [], border: [] },
      colWidths: [8, idWidth, Math.max(30, columns - idWidth - 12)],
      wordWrap: true,
    });
    for (const f of data.failures) failures.push([paintStatus(paint, f.status), f.id, f.summary]);
    out('Failures');
    out(failures.toString());
  }
  if (config.output.print_failure_list && data.failureList !== '') {
    out('Failure list:');
    out(data.failureList);
  }
  if (data.slowest.length > 0 && config.output.print_n_slowest > 0) {
    const slow = table(['test', 'duration', 'status'], paint);
    for (const s of data.slowest)
      slow.push([s.id, formatDuration(s.durationMs), paintStatus(paint, s.status)]);
    out(`${data.slowest.length} slowest`);
    out(slow.toString());
  }
  if (config.output.print_duration_hist) {
    const hist = table(['duration', 'tests', ''], paint);
    const most = Math.max(1, ...data.histogram.map((b) => b.count));
    for (const b of data.histogram)
      hist.push([b.label, String(b.count), '█'.repeat(Math.round((b.count / most) * 30))]);
    out('Duration histogram');
    out(hist.toString());
  }
  const sup = table(
    ['supervisor', 'tests', 'busy', 'utilisation', 'died', 'restarts', 'status'],
    paint,
  );
  for (const s of data.supervisors) {
    sup.push([
      s.name,
      String(s.attempts),
      formatDuration(s.busyMs),
      s.utilisation === null ? '-' : `${Math.round(s.utilisation * 100)}%`,
      s.deaths > 0 ? paint.yellow(String(s.deaths)) : '0',
      String(s.restarts),
      s.error === null ? supervisorStatus(s) : paint.red(s.error),
    ]);
  }
  out('Supervisors');
  out(sup.toString());
  if (data.crashReschedules.length > 0) {
    out(
      `Rescheduled after a crash: ${data.crashReschedules.map((c) => `${c.id} (${c.count}x)`).join(', ')}`,
    );
  }
  if (data.retries.length > 0) {
    out(`Retried: ${data.retries.map((c) => `${c.id} (${c.count}x)`).join(', ')}`);
  }
  if (data.flaky.length > 0)
    out(paint.yellow(`Flaky (passed after a retry): ${data.flaky.join(' ')}`));
  if (data.unfinished.length > 0) out(`Not run: ${data.unfinished.join(' ')}`);
  if (data.canceled)
    out(paint.yellow('The run was interrupted; results of finished tests were saved.'));
}

/**
 * The status of a supervisor that did not leave the run with an error: `ok`, `-` when it never
 * started, or, when it died more often than it came back, that its last restart did not finish
 * before the run ended (no test was left for it).
 */
export function supervisorStatus(s: {
  readonly started: boolean;
  readonly deaths: number;
  readonly restarts: number;
}): string {
  if (!s.started) return '-';
  if (s.deaths > s.restarts) return 'not restarted: the run ended first';
  return 'ok';
}
