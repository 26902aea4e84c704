import { DuplicateTestError, InvalidNameError, InvalidOptionError } from '../errors.js';
import { assertSafeSegment } from '../results/names.js';
import type { Test } from '../test.js';

/** Check a run id: one safe path segment. Throws `InvalidNameError`. */
export function assertSafeRunId(runId: string): void {
  assertSafeSegment('run id', runId);
}

/**
 * Validate every test: unique, non-empty string ids (any characters: a results store maps them to
 * safe paths) and sane per-test timeouts.
 */
export function validateTests(tests: readonly Test[]): void {
  const seen = new Set<string>();
  for (const test of tests) {
    if (typeof test.id !== 'string' || test.id.length === 0) {
      throw new InvalidNameError(
        `test id must be a non-empty string, got ${JSON.stringify(test.id)}`,
      );
    }
    if (seen.has(test.id)) throw new DuplicateTestError(test.id);
    seen.add(test.id);
    const t = test.timeoutMs;
    if (t !== undefined && (typeof t !== 'number' || !Number.isFinite(t) || t < 0)) {
      throw new InvalidOptionError(
        `test ${test.id}: timeoutMs: expected a finite number >= 0, got ${String(t)}`,
      );
    }
  }
}

/** A timestamp-based run id: sortable, filesystem-safe, e.g. `20260102T030405123Z-1a2b`. */
export function defaultRunId(now: number): string {
  const stamp = new Date(now).toISOString().replace(/[-:.]/g, '');
  const suffix = Math.floor(Math.random() * 0x10000)
    .toString(16)
    .padStart(4, '0');
  return `${stamp}-${suffix}`;
}
