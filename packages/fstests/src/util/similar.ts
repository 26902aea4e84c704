/** "Did you mean" helpers. */

/** Levenshtein edit distance between `a` and `b`. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + cost,
      );
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/**
 * The candidates closest to `input`, best first: those within `maxDistance` edits (default:
 * a third of the input's length, at least 2), at most `limit` of them (default 3).
 */
export function closestMatches(
  input: string,
  candidates: Iterable<string>,
  options: { limit?: number; maxDistance?: number } = {},
): string[] {
  const limit = options.limit ?? 3;
  const maxDistance = options.maxDistance ?? Math.max(2, Math.floor(input.length / 3));
  const scored: { candidate: string; distance: number }[] = [];
  for (const candidate of new Set(candidates)) {
    const distance = editDistance(input.toLowerCase(), candidate.toLowerCase());
    if (distance <= maxDistance) scored.push({ candidate, distance });
  }
  scored.sort((x, y) => x.distance - y.distance || x.candidate.localeCompare(y.candidate));
  return scored.slice(0, limit).map((s) => s.candidate);
}
