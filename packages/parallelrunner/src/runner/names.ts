import { DuplicateTestError, InvalidNameError, InvalidOptionError } from '../errors.js';
import type { Test } from '../test.js';

/** One path segment: starts with a letter, digit or `_`; then also `.`, `-`, `+`, `@`, `=`, `,`. */
const SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9_.+@=,-]*$/;

/**
 * Check that `id` is a relative path of safe segments (`generic/001`, `suite/case-1`), usable
 * as a directory name and as a shell word without quoting. Throws `InvalidNameError`.
 */
export function assertSafeTestId(id: string): void {
  if (typeof id !== 'string' || id.length === 0) {
    throw new InvalidNameError(`invalid test id ${JSON.stringify(id)}: it must not be empty`);
  }
  for (const segment of id.split('/')) {
    if (!SEGMENT.test(segment) || segment === '.' || segment === '..') {
      throw new InvalidNameError(
        `invalid test id ${JSON.stringify(id)}: expected relative path segments of letters, digits and _ . + @ = , - (not starting with . or -)`,
      );
    }
  }
}

/** Check a run id: one safe path segment. Throws `InvalidNameError`. */
export function assertSafeRunId(runId: string): void {
  if (!SEGMENT.test(runId)) {
    throw new InvalidNameError(
      `invalid run id ${JSON.stringify(runId)}: expected one segment of letters, digits and _ . + @ = , -`,
    );
  }
}

/** Validate every test: safe unique ids and sane per-test timeouts. */
export function validateTests(tests: readonly Test[]): void {
  const seen = new Set<string>();
  for (const test of tests) {
    assertSafeTestId(test.id);
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
