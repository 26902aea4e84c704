import type { BatchingOptions } from '../batch/batcher.js';
import { InvalidOptionError } from '../errors.js';
import type { ResultSink } from '../sink.js';
import type { Supervisor } from '../supervisor.js';
import type { Test } from '../test.js';
import type { ProbePolicy } from './supervisor-ops.js';

/** A background command run on the supervisor for the length of every attempt. */
export interface TraceSpec {
  /** Name of the trace; the results store files it as `recorder.tracePath(name)`. */
  readonly name: string;
  /** Shell command, e.g. `dmesg -W`. */
  readonly command: string;
}

/** Options of `new Runner(...)`. */
export interface RunnerOptions<S extends Supervisor = Supervisor> {
  /** Where tests run; at least one, each with a unique name. */
  readonly supervisors: readonly S[];
  /**
   * The queue, in the order given (order them first, e.g. longest first). Ids must be unique.
   * Each attempt's context carries the supervisor it runs on (`ctx.host`, typed `S`).
   */
  readonly tests: readonly Test<S>[];
  /** How long a supervisor may take to start, in ms. Default `300_000`. */
  readonly startTimeoutMs?: number;
  /** Liveness probe interval in ms while idle or busy. Default `30_000`; `0` disables it. */
  readonly probeIntervalMs?: number;
  /** How long one probe may take, in ms. Default `10_000`. */
  readonly probeTimeoutMs?: number;
  /**
   * How often a failed probe is tried again before the supervisor counts as dead: a busy
   * supervisor that misses a few probes is not a dead one. Any answer resets the count.
   * Default `3`.
   */
  readonly probeRetries?: number;
  /** Pause between a failed probe and its retry, in ms. Default `5_000`. */
  readonly probeRetryIntervalMs?: number;
  /** A test that killed its supervisor this many times is recorded as `error`. Default `3`. */
  readonly maxSupervisorRestarts?: number;
  /** Run a failed (`fail` or `error`) attempt again up to this many times. Default `0`. */
  readonly retryFailures?: number;
  /** Per-test timeout in ms; `Test.timeoutMs` overrides it. Default: none. */
  readonly testTimeoutMs?: number;
  /**
   * How long, in ms, a supervisor may take to settle an exec (or a trace's stop) after the runner
   * aborted it before the runner treats the supervisor as dead. Default `5_000`.
   */
  readonly graceMs?: number;
  /**
   * How long, in ms, a supervisor's `stop` may take before the runner reports it
   * (`SupervisorContractError` on `supervisor:stopped`) and moves on. `0`: wait as long as it
   * takes. Default `120_000`.
   */
  readonly stopTimeoutMs?: number;
  /** After the run, keep supervisors up until `signal` aborts (requires `signal`). Default `false`. */
  readonly keepAlive?: boolean;
  /** Cancels the run: no new tests, running ones are canceled, supervisors stopped. */
  readonly signal?: AbortSignal;
  /** Where attempts' output, traces and artifacts go. Default: none (output tails in memory only). */
  readonly sink?: ResultSink;
  /** Background commands per attempt (e.g. `dmesg -W`); only recorded when a `sink` is given. */
  readonly traces?: readonly TraceSpec[];
  /** Bytes of each output stream kept in memory for `Test.evaluate`. Default 1 MiB. */
  readonly outputTailBytes?: number;
  /** Id of the run. Default: timestamp-based, sortable and filesystem-safe. */
  readonly runId?: string;
  /** Clock in ms since the epoch. Default `Date.now`. */
  readonly now?: () => number;
  /**
   * Run short tests several to a command (see `Batcher`): long and unknown tests still run
   * alone. Default: every test runs alone.
   */
  readonly batching?: BatchingOptions;
}

/** `BatchingOptions` with every default applied. */
export interface ResolvedBatching extends Required<BatchingOptions> {}

/** `RunnerOptions` with every default applied. */
export interface ResolvedOptions {
  readonly supervisors: readonly Supervisor[];
  readonly tests: readonly Test[];
  readonly startTimeoutMs: number;
  readonly probeIntervalMs: number;
  readonly probe: ProbePolicy;
  readonly maxSupervisorRestarts: number;
  readonly retryFailures: number;
  readonly testTimeoutMs: number | undefined;
  readonly graceMs: number;
  readonly stopTimeoutMs: number;
  readonly keepAlive: boolean;
  readonly signal: AbortSignal | undefined;
  readonly sink: ResultSink | undefined;
  readonly traces: readonly TraceSpec[];
  readonly outputTailBytes: number;
  readonly runId: string | undefined;
  readonly now: () => number;
  readonly batching: ResolvedBatching | undefined;
}

function nonNegative(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new InvalidOptionError(
      `option ${name}: expected a finite number >= 0, got ${String(value)}`,
    );
  }
  return value;
}

function count(name: string, value: number | undefined, fallback: number): number {
  const n = nonNegative(name, value, fallback);
  if (!Number.isInteger(n)) {
    throw new InvalidOptionError(`option ${name}: expected a whole number, got ${String(n)}`);
  }
  return n;
}

/** Validate `options` and apply defaults. Throws `InvalidOptionError` naming option and value. */
export function resolveOptions(options: RunnerOptions): ResolvedOptions {
  if (!Array.isArray(options.supervisors) || options.supervisors.length === 0) {
    throw new InvalidOptionError('option supervisors: expected at least one supervisor, got 0');
  }
  const names = new Set<string>();
  for (const s of options.supervisors) {
    if (names.has(s.name)) {
      throw new InvalidOptionError(
        `option supervisors: supervisor names must be unique, "${s.name}" appears twice`,
      );
    }
    names.add(s.name);
  }
  if (!Array.isArray(options.tests)) {
    throw new InvalidOptionError('option tests: expected an array of tests');
  }
  if (options.keepAlive === true && options.signal === undefined) {
    throw new InvalidOptionError('option keepAlive: requires a signal to end the run');
  }
  const traceNames = new Set<string>();
  for (const t of options.traces ?? []) {
    if (traceNames.has(t.name)) {
      throw new InvalidOptionError(`option traces: trace name "${t.name}" appears twice`);
    }
    traceNames.add(t.name);
  }
  return {
    supervisors: options.supervisors,
    tests: options.tests,
    startTimeoutMs: nonNegative('startTimeoutMs', options.startTimeoutMs, 300_000),
    probeIntervalMs: nonNegative('probeIntervalMs', options.probeIntervalMs, 30_000),
    probe: {
      timeoutMs: nonNegative('probeTimeoutMs', options.probeTimeoutMs, 10_000),
      retries: count('probeRetries', options.probeRetries, 3),
      retryIntervalMs: nonNegative('probeRetryIntervalMs', options.probeRetryIntervalMs, 5_000),
    },
    maxSupervisorRestarts: count('maxSupervisorRestarts', options.maxSupervisorRestarts, 3),
    retryFailures: count('retryFailures', options.retryFailures, 0),
    testTimeoutMs:
      options.testTimeoutMs === undefined
        ? undefined
        : nonNegative('testTimeoutMs', options.testTimeoutMs, 0),
    graceMs: nonNegative('graceMs', options.graceMs, 5_000),
    stopTimeoutMs: nonNegative('stopTimeoutMs', options.stopTimeoutMs, 120_000),
    keepAlive: options.keepAlive ?? false,
    signal: options.signal,
    sink: options.sink,
    traces: options.traces ?? [],
    outputTailBytes: count('outputTailBytes', options.outputTailBytes, 1024 * 1024),
    runId: options.runId,
    now: options.now ?? Date.now,
    batching: resolveBatching(options.batching),
  };
}

function resolveBatching(batching: BatchingOptions | undefined): ResolvedBatching | undefined {
  if (batching === undefined) return undefined;
  const { batcher, durations } = batching;
  if (typeof batcher?.key !== 'function' || typeof batcher.dispatch !== 'function') {
    throw new InvalidOptionError('option batching.batcher: expected a Batcher (key, dispatch)');
  }
  if (!(durations instanceof Map)) {
    throw new InvalidOptionError('option batching.durations: expected a Map of test id to ms');
  }
  for (const [id, ms] of durations) nonNegative(`batching.durations "${id}"`, ms, 0);
  const targetMs = batching.targetMs ?? 600_000;
  if (!(typeof targetMs === 'number' && targetMs > 0)) {
    throw new InvalidOptionError(
      `option batching.targetMs: expected a number of milliseconds > 0, got ${String(targetMs)}`,
    );
  }
  const maxTests = count('batching.maxTests', batching.maxTests, 100);
  if (maxTests < 2) {
    throw new InvalidOptionError(`option batching.maxTests: expected 2 or more, got ${maxTests}`);
  }
  return { batcher, durations, targetMs, maxTests };
}
