import { compareIds as byId } from '../schedule/schedule.js';
import type { FinalTestResult, TestStatus } from '../test.js';
import type { LoadedRun } from './load.js';

/** Options of `compare`. */
export interface CompareOptions {
  /** A timing change must exceed this many milliseconds. Default 5000. */
  readonly timeThresholdMs?: number;
  /** ... and this fraction of the older duration (0.5 = 50%). Default 0.5. */
  readonly timeThresholdRatio?: number;
}

/** A test whose final status differs between the two sides. */
export interface StatusChange {
  /** Test id. */
  readonly id: string;
  /** Final status in `a` (the older side). */
  readonly from: TestStatus;
  /** Final status in `b` (the newer side). */
  readonly to: TestStatus;
  /** The newer side's one-line summary. */
  readonly summary: string;
}

/** A test present on one side only. */
export interface PresentTest {
  /** Test id. */
  readonly id: string;
  /** Its final status on the side that has it. */
  readonly status: TestStatus;
}

/** A test whose duration changed beyond both thresholds. */
export interface TimingChange {
  /** Test id. */
  readonly id: string;
  /** Duration in `a`, in milliseconds. */
  readonly fromMs: number;
  /** Duration in `b`, in milliseconds. */
  readonly toMs: number;
  /** `toMs - fromMs` (negative when the test got faster). */
  readonly deltaMs: number;
  /** `toMs / fromMs` (`null` when `fromMs` is 0). */
  readonly ratio: number | null;
}

/** A per-test count (crash reschedules, retries) on the newer side. */
export interface TestCount {
  /** Test id. */
  readonly id: string;
  /** How many times it happened (always at least 1). */
  readonly count: number;
}

/** One side of a comparison. */
export interface ComparedSide {
  /** What was loaded. */
  readonly kind: 'run' | 'recording' | 'latest';
  /** Its run id, label, or `latest`. */
  readonly name: string;
  /** Number of tests with a final result. */
  readonly tests: number;
  /** Why these are not the complete results of one run; `null` when they are. */
  readonly partial: string | null;
}

/** What changed from `a` (older) to `b` (newer). The JSON form is this object. */
export interface Comparison {
  /** Format version of this object. */
  readonly version: 1;
  /**
   * The older side: a run, a recording or `latest`, its run id or label, its number of tests,
   * and why it is not one complete run (`LoadedRun.partial`, `null` when it is).
   */
  readonly a: ComparedSide;
  /** The newer side, described like `a`. */
  readonly b: ComparedSide;
  /** The timing thresholds used: milliseconds and fraction of the older duration. */
  readonly thresholds: { readonly timeMs: number; readonly ratio: number };
  /** pass/skip in `a` -> fail/error in `b`. */
  readonly regressions: readonly StatusChange[];
  /** fail/error in `a` -> pass in `b`. */
  readonly fixes: readonly StatusChange[];
  /** Every other status change (pass <-> skip, fail <-> error, fail/error -> skip). */
  readonly otherChanges: readonly StatusChange[];
  /** Tests only in `b`. */
  readonly new: readonly PresentTest[];
  /** Tests only in `a`. */
  readonly removed: readonly PresentTest[];
  /** Tests that completed with the same status on both sides and changed in duration. */
  readonly timing: readonly TimingChange[];
  /** Tests of `b` put back in the queue because their supervisor died. */
  readonly crashReschedules: readonly TestCount[];
  /** Tests of `b` that were retried after a failure. */
  readonly retries: readonly TestCount[];
  /** Tests of `b` that passed only after a retry. */
  readonly flaky: readonly string[];
  /** Tests with the same status on both sides, per status. */
  readonly unchanged: Readonly<Record<TestStatus, number>>;
  /** `false` when nothing differs (no status change, new, removed or timing change). */
  readonly changed: boolean;
  /** Warnings of both sides, prefixed `a:` / `b:`. */
  readonly warnings: readonly string[];
}

const BAD: ReadonlySet<TestStatus> = new Set(['fail', 'error']);

function index(run: LoadedRun): Map<string, FinalTestResult> {
  return new Map(run.results.map((r) => [r.testId, r]));
}

function side(run: LoadedRun): ComparedSide {
  return {
    kind: run.source.kind,
    name: run.source.name,
    tests: run.results.length,
    partial: run.partial,
  };
}

/** Compare two loaded runs (`a` the baseline, `b` the newer). Deterministic: lists are by id. */
export function compare(a: LoadedRun, b: LoadedRun, options: CompareOptions = {}): Comparison {
  const timeMs = options.timeThresholdMs ?? 5000;
  const ratio = options.timeThresholdRatio ?? 0.5;
  const left = index(a);
  const right = index(b);
  const ids = [...new Set([...left.keys(), ...right.keys()])].sort(byId);
  const regressions: StatusChange[] = [];
  const fixes: StatusChange[] = [];
  const otherChanges: StatusChange[] = [];
  const added: PresentTest[] = [];
  const removed: PresentTest[] = [];
  const timing: TimingChange[] = [];
  const unchanged: Record<TestStatus, number> = { pass: 0, fail: 0, skip: 0, error: 0 };
  for (const id of ids) {
    const x = left.get(id);
    const y = right.get(id);
    if (!x && y) added.push({ id, status: y.status });
    if (x && !y) removed.push({ id, status: x.status });
    if (!x || !y) continue;
    if (x.status === y.status) {
      unchanged[y.status]++;
      const deltaMs = y.durationMs - x.durationMs;
      const bothCompleted = x.outcome === 'completed' && y.outcome === 'completed';
      const relative =
        x.durationMs === 0 ? Number.POSITIVE_INFINITY : Math.abs(deltaMs) / x.durationMs;
      if (bothCompleted && Math.abs(deltaMs) > timeMs && relative > ratio) {
        timing.push({
          id,
          fromMs: x.durationMs,
          toMs: y.durationMs,
          deltaMs,
          ratio: x.durationMs === 0 ? null : y.durationMs / x.durationMs,
        });
      }
      continue;
    }
    const change = { id, from: x.status, to: y.status, summary: y.summary };
    if (!BAD.has(x.status) && BAD.has(y.status)) regressions.push(change);
    else if (BAD.has(x.status) && y.status === 'pass') fixes.push(change);
    else otherChanges.push(change);
  }
  const inB = [...right.values()].sort((p, q) => byId(p.testId, q.testId));
  const changed =
    regressions.length +
      fixes.length +
      otherChanges.length +
      added.length +
      removed.length +
      timing.length >
    0;
  return {
    version: 1,
    a: side(a),
    b: side(b),
    thresholds: { timeMs, ratio },
    regressions,
    fixes,
    otherChanges,
    new: added,
    removed,
    timing,
    crashReschedules: inB
      .filter((r) => r.reschedules > 0)
      .map((r) => ({ id: r.testId, count: r.reschedules })),
    retries: inB.filter((r) => r.retries > 0).map((r) => ({ id: r.testId, count: r.retries })),
    flaky: inB.filter((r) => r.flaky).map((r) => r.testId),
    unchanged,
    changed,
    warnings: [...a.warnings.map((w) => `a: ${w}`), ...b.warnings.map((w) => `b: ${w}`)],
  };
}
