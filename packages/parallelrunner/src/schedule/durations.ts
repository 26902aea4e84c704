/** Helpers over known test durations (milliseconds by test id). */

/** Median of `values` (mean of the two middle values for an even count); `undefined` if empty. */
export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const upper = sorted[mid] as number;
  if (sorted.length % 2 === 1) return upper;
  return ((sorted[mid - 1] as number) + upper) / 2;
}

/**
 * Estimated time until `remainingIds` are done on `liveSupervisors` parallel supervisors, in
 * milliseconds: the list-scheduling lower bound `max(longest remaining, total / supervisors)`.
 * Tests without a known duration count as the median of the known ones (as 0 when nothing at
 * all is known). With no live supervisor and work left, the answer is `Infinity`.
 */
export function estimateRemainingMs(
  remainingIds: Iterable<string>,
  durations: ReadonlyMap<string, number>,
  liveSupervisors: number,
): number {
  let total = 0;
  let longest = 0;
  let unknown = 0;
  for (const id of remainingIds) {
    const ms = durations.get(id);
    if (ms === undefined) {
      unknown++;
      continue;
    }
    total += ms;
    longest = Math.max(longest, ms);
  }
  if (unknown > 0) {
    const estimate = median([...durations.values()]) ?? 0;
    total += unknown * estimate;
    longest = Math.max(longest, estimate);
  }
  if (total === 0) return 0;
  if (liveSupervisors <= 0) return Number.POSITIVE_INFINITY;
  return Math.max(longest, total / liveSupervisors);
}
