import { join } from 'node:path';
import { compareIds as byId } from '../schedule/schedule.js';
import type { RunSummary, SupervisorReport } from '../summary.js';
import type { FinalTestResult } from '../test.js';
import { DEFAULT_TAIL_BYTES, readTail } from './tail.js';
import { attrs, xmlText } from './xml.js';

/** Options of `junitXml`. */
export interface JunitOptions {
  /** Name of the test suite. Default `tests`. */
  readonly suiteName?: string;
  /**
   * Extra `<property>` entries of the suite. A name the report already uses (`runId`,
   * `canceled`, `supervisor.<name>`) replaces that entry: every property name appears once.
   */
  readonly properties?: Readonly<Record<string, string>>;
  /** `hostname` attribute of the suite. Default: omitted. */
  readonly hostname?: string;
  /** How much of the end of stdout/stderr goes into `<system-out>`/`<system-err>`. Default 64 KiB. */
  readonly tailBytes?: number;
}

function seconds(ms: number): string {
  return (Math.max(0, ms) / 1000).toFixed(3);
}

/** The directory part of an id (`generic/001` -> `generic`), or `fallback` without one. */
export function classnameOf(id: string, fallback: string): string {
  const slash = id.lastIndexOf('/');
  return slash < 0 ? fallback : id.slice(0, slash);
}

function supervisorProperty(s: SupervisorReport): string {
  const util = s.wallMs > 0 ? `${Math.round((s.busyMs / s.wallMs) * 100)}%` : 'n/a';
  const parts = [
    `started=${s.started ? 'yes' : 'no'}`,
    `deaths=${s.deaths}`,
    `restarts=${s.restarts}`,
    `attempts=${s.attempts}`,
    `busy=${seconds(s.busyMs)}s`,
    `wall=${seconds(s.wallMs)}s`,
    `utilisation=${util}`,
  ];
  if (s.error) parts.push(`error=${s.error.message}`);
  return parts.join(' ');
}

function errorType(r: FinalTestResult): string {
  if (r.timedOut) return 'timeout';
  if (r.outcome === 'crashed') return 'crash';
  if (r.canceled || r.outcome === 'canceled') return 'canceled';
  return 'error';
}

function details(r: FinalTestResult): string {
  const lines = [r.summary];
  if (r.attempts.length > 1) {
    for (const a of r.attempts) {
      lines.push(
        `attempt ${a.attempt} on ${a.supervisor}: ${a.status} (${a.outcome}) ${a.summary}`,
      );
    }
  }
  const evidence = new Set([...r.attempts.map((a) => a.crashEvidence), r.crashEvidence]);
  for (const e of evidence) if (e) lines.push('', e);
  return lines.join('\n').trim();
}

function outputTail(r: FinalTestResult, stream: 'stdout' | 'stderr', bytes: number): string {
  if (!r.outputDir) return '';
  const tail = readTail(join(r.outputDir, stream), bytes);
  if (!tail || tail.text.length === 0) return '';
  const text = tail.truncated ? `[... last ${bytes} bytes of ${stream}]\n${tail.text}` : tail.text;
  const tag = stream === 'stdout' ? 'system-out' : 'system-err';
  return `      <${tag}>${xmlText(text)}</${tag}>\n`;
}

function testcase(r: FinalTestResult, suite: string, tailBytes: number): string {
  const open = `    <testcase${attrs({ name: r.testId, classname: classnameOf(r.testId, suite), time: seconds(r.durationMs) })}`;
  let body = '';
  if (r.status === 'fail') {
    body += `      <failure${attrs({ message: r.summary, type: r.timedOut ? 'timeout' : 'failure' })}>${xmlText(details(r))}</failure>\n`;
  } else if (r.status === 'error') {
    body += `      <error${attrs({ message: r.summary, type: errorType(r) })}>${xmlText(details(r))}</error>\n`;
  } else if (r.status === 'skip') {
    body += `      <skipped${attrs({ message: r.summary })}/>\n`;
  }
  body += outputTail(r, 'stdout', tailBytes) + outputTail(r, 'stderr', tailBytes);
  return body === '' ? `${open}/>\n` : `${open}>\n${body}    </testcase>\n`;
}

/**
 * A JUnit XML report of one run: `<testsuites>` holding one `<testsuite>`, a `<testcase>` per
 * test sorted by id (`name` = the id, `classname` = its directory part, `time` in seconds) with
 * `<failure>`, `<error>` or `<skipped>` and the tails of its stdout/stderr (read from
 * `outputDir`), and one `<property>` per name: the run id, `canceled`, each supervisor
 * (`supervisor.<name>`: started, deaths, restarts, ...) and `properties`. Tests the run never
 * finished appear as skipped.
 */
export function junitXml(summary: RunSummary, options: JunitOptions = {}): string {
  const suite = options.suiteName ?? 'tests';
  const tailBytes = options.tailBytes ?? DEFAULT_TAIL_BYTES;
  const results = [...summary.results].sort((a, b) => byId(a.testId, b.testId));
  const count = (status: string) => results.filter((r) => r.status === status).length;
  const totals = {
    tests: results.length + summary.unfinished.length,
    failures: count('fail'),
    errors: count('error'),
    skipped: count('skip') + summary.unfinished.length,
    time: seconds(summary.finishedAt - summary.startedAt),
  };
  const properties = new Map<string, string>([
    ['runId', summary.runId],
    ['canceled', String(summary.canceled)],
    ...summary.supervisors.map((s): [string, string] => [
      `supervisor.${s.name}`,
      supervisorProperty(s),
    ]),
  ]);
  for (const [name, value] of Object.entries(options.properties ?? {})) properties.set(name, value);
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>\n',
    `<testsuites${attrs({ name: suite, ...totals })}>\n`,
    `  <testsuite${attrs({
      name: suite,
      ...totals,
      timestamp: new Date(summary.startedAt).toISOString().replace(/\.\d+Z$/, 'Z'),
      hostname: options.hostname,
      id: summary.runId,
    })}>\n`,
    '    <properties>\n',
    ...[...properties].map(([name, value]) => `      <property${attrs({ name, value })}/>\n`),
    '    </properties>\n',
    ...results.map((r) => testcase(r, suite, tailBytes)),
    ...[...summary.unfinished]
      .sort(byId)
      .map(
        (id) =>
          `    <testcase${attrs({ name: id, classname: classnameOf(id, suite), time: '0.000' })}>\n      <skipped message="not run: the run ended before this test finished"/>\n    </testcase>\n`,
      ),
    '  </testsuite>\n',
    '</testsuites>\n',
  ];
  return out.join('');
}
