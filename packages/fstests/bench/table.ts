/** The benchmark summary as a plain-text table. */

/** One row of the summary: what was measured, the figure, and how it compares. */
export interface SummaryRow {
  readonly benchmark: string;
  readonly figure: string;
  readonly verdict: string;
}

/** Render rows as three left-aligned columns under a header and a rule. */
export function summaryTable(rows: readonly SummaryRow[]): string {
  const all = [{ benchmark: 'benchmark', figure: 'figure', verdict: 'ratio / target' }, ...rows];
  const width = (key: keyof SummaryRow) => Math.max(...all.map((r) => r[key].length));
  const [b, f] = [width('benchmark'), width('figure')];
  const line = (r: SummaryRow) =>
    `${r.benchmark.padEnd(b)}  ${r.figure.padEnd(f)}  ${r.verdict}`.trimEnd();
  const [header, ...body] = all.map(line);
  return [header, '-'.repeat(Math.max(...all.map((r) => line(r).length))), ...body].join('\n');
}
