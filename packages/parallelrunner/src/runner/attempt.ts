import { SupervisorDiedError, TestContractError, describeCause } from '../errors.js';
import type { AttemptRecorder } from '../sink.js';
import type { ExecResult, Supervisor } from '../supervisor.js';
import type {
  AttemptContext,
  CommandSpec,
  CompletedRun,
  Test,
  TestResult,
  Verdict,
} from '../test.js';
import {
  collectArtifacts,
  deathOf,
  finishRecorder,
  formatDuration,
  isVerdict,
  saveEvidence,
  startTraces,
  stopTraces,
  withNotes,
} from './attempt-io.js';
import { settleGuarded } from './guard.js';
import type { ResolvedOptions } from './options.js';
import { OutputTail } from './output-tail.js';

/** Everything one attempt needs. */
export interface AttemptInput {
  readonly test: Test;
  readonly ctx: AttemptContext;
  readonly supervisor: Supervisor;
  readonly options: ResolvedOptions;
  /** Aborts when the run is cancelled. */
  readonly runSignal: AbortSignal;
  /** Aborts when the supervisor was found dead by a probe. */
  readonly deadSignal: AbortSignal;
  /** Aborts when either of the above does; handed to the supervisor. */
  readonly execSignal: AbortSignal;
}

/** How an attempt ended. `crashed` carries why the supervisor is considered dead. */
export type AttemptEnd =
  | { readonly kind: 'completed'; readonly result: TestResult }
  | { readonly kind: 'canceled'; readonly result: TestResult }
  | { readonly kind: 'crashed'; readonly result: TestResult; readonly error: Error };

type Base = Omit<TestResult, 'status' | 'summary' | 'outcome' | 'crashEvidence'>;

/**
 * `test.evaluate(run)`, awaited when it returns a promise. Once the run is cancelled (also
 * before it began) a pending evaluation gets `graceMs` more, then the attempt stops waiting.
 */
async function evaluate(
  test: Test,
  run: CompletedRun,
  signal: AbortSignal,
  graceMs: number,
): Promise<Verdict> {
  try {
    const value = test.evaluate(run);
    const verdict = value instanceof Promise ? await settleOrGiveUp(value, signal, graceMs) : value;
    if (!isVerdict(verdict)) {
      throw new Error(`evaluate() returned an invalid verdict: ${JSON.stringify(verdict)}`);
    }
    return verdict;
  } catch (error) {
    const e = new TestContractError(test.id, `evaluate() threw: ${describeCause(error)}`, {
      cause: error,
    });
    return { status: 'error', summary: e.message };
  }
}

async function settleOrGiveUp<T>(
  pending: Promise<T>,
  signal: AbortSignal,
  graceMs: number,
): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onAbort: (() => void) | undefined;
  const giveUp = new Promise<never>((_, reject) => {
    onAbort = () => {
      timer = setTimeout(
        () => reject(new Error('did not settle after the run was cancelled')),
        graceMs,
      );
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([pending, giveUp]);
  } finally {
    clearTimeout(timer);
    if (onAbort) signal.removeEventListener('abort', onAbort);
  }
}

function tee(tail: OutputTail, recorder: AttemptRecorder | undefined, stream: 'stdout' | 'stderr') {
  if (!recorder) return (chunk: Buffer) => tail.push(chunk);
  return (chunk: Buffer) => {
    tail.push(chunk);
    recorder.write(stream, chunk);
  };
}

/**
 * Run one attempt of a test on a supervisor: recorder, traces, the command with its timeout and
 * signal, evaluation, artifacts. Never throws: every failure becomes part of the outcome.
 */
export async function runAttempt(input: AttemptInput): Promise<AttemptEnd> {
  const { test, ctx, supervisor, options } = input;
  const startedAt = options.now();
  const notes: string[] = [];
  let recorder: AttemptRecorder | undefined;
  const base = (durationMs: number, exec?: ExecResult): Base => ({
    testId: test.id,
    attemptId: ctx.attemptId,
    attempt: ctx.attempt,
    supervisor: supervisor.name,
    startedAt,
    durationMs,
    exitCode: exec?.exitCode ?? null,
    exitSignal: exec?.exitSignal ?? null,
    timedOut: exec?.timedOut ?? false,
    canceled: exec?.canceled ?? false,
    ...(recorder ? { outputDir: recorder.dir } : {}),
  });
  const finish = (result: TestResult): Promise<TestResult> => finishRecorder(recorder, result);

  if (options.sink) {
    try {
      recorder = await options.sink.beginAttempt(test, ctx);
    } catch (error) {
      const summary = `results store: ${describeCause(error)}`;
      return {
        kind: 'completed',
        result: { ...base(0), status: 'error', summary, outcome: 'completed' },
      };
    }
  }
  let spec: CommandSpec;
  try {
    spec = test.command(ctx);
  } catch (error) {
    const e = new TestContractError(test.id, `command() threw: ${describeCause(error)}`, {
      cause: error,
    });
    const result = {
      ...base(0),
      status: 'error',
      summary: e.message,
      outcome: 'completed',
    } as const;
    return { kind: 'completed', result: await finish(result) };
  }

  const traces = recorder ? await startTraces(input, recorder, notes) : [];
  const stdout = new OutputTail(options.outputTailBytes);
  const stderr = new OutputTail(options.outputTailBytes);
  const rec = recorder;
  const timeoutMs = test.timeoutMs ?? options.testTimeoutMs;
  const execStart = options.now();
  const exec = Promise.resolve().then(() =>
    supervisor.exec(spec, {
      signal: input.execSignal,
      ...(timeoutMs !== undefined ? { timeoutMs } : {}),
      onStdout: tee(stdout, rec, 'stdout'),
      onStderr: tee(stderr, rec, 'stderr'),
    }),
  );
  const settled = await settleGuarded(exec, {
    signal: input.execSignal,
    graceMs: options.graceMs,
    supervisor: supervisor.name,
    what: 'exec',
    ...(timeoutMs !== undefined ? { limitMs: timeoutMs } : {}),
  });
  await stopTraces(input, traces, notes);
  const elapsed = options.now() - execStart;

  if (input.runSignal.aborted && (!settled.ok || settled.value.canceled)) {
    const b = base(
      settled.ok ? settled.value.durationMs : elapsed,
      settled.ok ? settled.value : undefined,
    );
    const result = {
      ...b,
      canceled: true,
      status: 'error',
      summary: withNotes('canceled', notes),
      outcome: 'canceled',
    } as const;
    return { kind: 'canceled', result: await finish(result) };
  }
  if (!settled.ok || (settled.value.canceled && input.deadSignal.aborted)) {
    const error = deathOf(input, settled.ok ? undefined : settled.error);
    const evidence = error instanceof SupervisorDiedError ? error.evidence : undefined;
    const b = base(
      settled.ok ? settled.value.durationMs : elapsed,
      settled.ok ? settled.value : undefined,
    );
    if (recorder && evidence !== undefined) await saveEvidence(recorder, evidence, notes);
    const result: TestResult = {
      ...b,
      status: 'error',
      summary: withNotes(`supervisor died: ${error.message}`, notes),
      outcome: 'crashed',
      ...(evidence !== undefined ? { crashEvidence: evidence } : {}),
    };
    return { kind: 'crashed', result: await finish(result), error };
  }

  const run = settled.value;
  const artifacts = recorder ? await collectArtifacts(input, recorder, notes) : [];
  const verdict: Verdict = run.timedOut
    ? { status: 'error', summary: `timed out after ${formatDuration(timeoutMs ?? run.durationMs)}` }
    : await evaluate(
        test,
        {
          ...run,
          stdout: stdout.text(),
          stderr: stderr.text(),
          outputTruncated: stdout.truncated || stderr.truncated,
          context: ctx,
          artifacts,
        },
        input.runSignal,
        options.graceMs,
      );
  const result: TestResult = {
    ...base(run.durationMs, run),
    status: verdict.status,
    summary: withNotes(verdict.summary, notes),
    outcome: 'completed',
  };
  return { kind: 'completed', result: await finish(result) };
}
