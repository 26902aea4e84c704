/** Plain-text tables for benchmark output (no dependency, fixed-width columns). */

/** Render `rows` under `headers`; columns are padded, numbers-looking cells right-aligned. */
export function formatTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const numeric = /^[-+]?[\d.]+[x%]?$/;
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => {
        const width = widths[i] ?? 0;
        return numeric.test(cell) ? cell.padStart(width) : cell.padEnd(width);
      })
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(headers), rule, ...rows.map(line)].join('\n');
}

/** A ratio with three decimals and an `x`, e.g. `1.004x`. */
export function formatRatio(ratio: number): string {
  return `${ratio.toFixed(3)}x`;
}
