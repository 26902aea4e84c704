import type { Comparison, StatusChange, TestCount } from './compare.js';

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}

function pad(ids: readonly string[]): (id: string) => string {
  const width = Math.max(0, ...ids.map((id) => id.length));
  return (id) => id.padEnd(width);
}

function section(title: string, lines: readonly string[]): string[] {
  return lines.length === 0 ? [] : [`${title} (${lines.length}):`, ...lines.map((l) => `  ${l}`)];
}

function changes(title: string, list: readonly StatusChange[]): string[] {
  const p = pad(list.map((c) => c.id));
  return section(
    title,
    list.map((c) => `${p(c.id)}  ${c.from} -> ${c.to}${c.summary ? `  ${c.summary}` : ''}`),
  );
}

function counts(title: string, list: readonly TestCount[]): string[] {
  const p = pad(list.map((c) => c.id));
  return section(
    title,
    list.map((c) => `${p(c.id)}  ${c.count}`),
  );
}

/** Plain-text form of a comparison; the same comparison always gives the same text. */
export function formatComparison(c: Comparison): string {
  const name = (side: Comparison['a']) =>
    `${side.kind === 'latest' ? 'the latest results' : `${side.kind} ${side.name}`} (${side.tests} tests)`;
  const lines = [`Comparing ${name(c.a)} with ${name(c.b)}`];
  for (const [label, side] of [
    ['A', c.a],
    ['B', c.b],
  ] as const) {
    if (side.partial !== null) lines.push(`Note: ${label} is partial: ${side.partial}`);
  }
  if (!c.changed) {
    const same = Object.values(c.unchanged).reduce((s, n) => s + n, 0);
    lines.push(`No changes: all ${same} tests have the same status, and no timing changed.`);
  }
  lines.push(...changes('Regressions', c.regressions));
  lines.push(...changes('Fixes', c.fixes));
  lines.push(...changes('Other status changes', c.otherChanges));
  const np = pad(c.new.map((t) => t.id));
  lines.push(
    ...section(
      'New',
      c.new.map((t) => `${np(t.id)}  ${t.status}`),
    ),
  );
  const rp = pad(c.removed.map((t) => t.id));
  lines.push(
    ...section(
      'Removed',
      c.removed.map((t) => `${rp(t.id)}  ${t.status}`),
    ),
  );
  const tp = pad(c.timing.map((t) => t.id));
  lines.push(
    ...section(
      `Timing changes beyond ${seconds(c.thresholds.timeMs)} and ${Math.round(c.thresholds.ratio * 100)}%`,
      c.timing.map((t) => {
        const sign = t.deltaMs >= 0 ? '+' : '-';
        const pct =
          t.ratio === null ? 'new time' : `${sign}${Math.round(Math.abs(t.ratio - 1) * 100)}%`;
        return `${tp(t.id)}  ${seconds(t.fromMs)} -> ${seconds(t.toMs)}  (${sign}${seconds(Math.abs(t.deltaMs))}, ${pct})`;
      }),
    ),
  );
  lines.push(...counts('Crash reschedules (newer side)', c.crashReschedules));
  lines.push(...counts('Retries (newer side)', c.retries));
  lines.push(...section('Flaky (passed after a retry, newer side)', c.flaky));
  const u = c.unchanged;
  lines.push(`Unchanged: pass ${u.pass}, fail ${u.fail}, skip ${u.skip}, error ${u.error}`);
  lines.push(...section('Warnings', c.warnings));
  return `${lines.join('\n')}\n`;
}
