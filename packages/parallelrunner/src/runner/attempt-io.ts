/** The parts of an attempt that touch its supervisor and recorder, shared by single and batch dispatch. */
import { writeFile } from 'node:fs/promises';
import { SupervisorContractError, SupervisorDiedError, describeCause } from '../errors.js';
import type { AttemptRecorder } from '../sink.js';
import type { CollectedArtifact, Supervisor, TraceHandle } from '../supervisor.js';
import type { AttemptContext, Test, TestResult, Verdict } from '../test.js';
import { settleGuarded } from './guard.js';
import type { ResolvedOptions } from './options.js';

/** What the helpers need to know about one attempt. */
export interface AttemptIo {
  readonly test: Test;
  readonly ctx: AttemptContext;
  readonly supervisor: Supervisor;
  readonly options: ResolvedOptions;
  /** Aborts when the supervisor was found dead by a probe. */
  readonly deadSignal: AbortSignal;
  /** Aborts when the run is cancelled or the supervisor is found dead. */
  readonly execSignal: AbortSignal;
}

const STATUSES: ReadonlySet<unknown> = new Set(['pass', 'fail', 'skip', 'error']);

/** `value` is a verdict: a known status and a string summary. */
export function isVerdict(value: unknown): value is Verdict {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<Verdict>;
  return STATUSES.has(v.status) && typeof v.summary === 'string';
}

/** `1.5s`, `250ms`. */
export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)}ms` : `${Math.round(ms / 100) / 10}s`;
}

/** `summary [note; note]`. */
export function withNotes(summary: string, notes: readonly string[]): string {
  if (notes.length === 0) return summary;
  const note = `[${notes.join('; ')}]`;
  return summary ? `${summary} ${note}` : note;
}

/** Why the supervisor is considered dead, given how its exec failed. */
export function deathOf(io: Pick<AttemptIo, 'supervisor' | 'deadSignal'>, error: unknown): Error {
  if (error instanceof SupervisorDiedError || error instanceof SupervisorContractError)
    return error;
  if (io.deadSignal.aborted && io.deadSignal.reason instanceof Error) {
    return io.deadSignal.reason;
  }
  return new SupervisorContractError(
    io.supervisor.name,
    `exec rejected with something other than SupervisorDiedError: ${describeCause(error)}`,
    { cause: error },
  );
}

/** Start every trace of the run for this attempt; failures become notes. */
export async function startTraces(
  io: AttemptIo,
  recorder: AttemptRecorder,
  notes: string[],
): Promise<TraceHandle[]> {
  const handles: TraceHandle[] = [];
  for (const trace of io.options.traces) {
    try {
      handles.push(
        await io.supervisor.trace(trace.command, recorder.tracePath(trace.name), {
          signal: io.execSignal,
        }),
      );
    } catch (error) {
      notes.push(`trace ${trace.name}: ${describeCause(error)}`);
    }
  }
  return handles;
}

/** Stop `handles`, within the grace period; failures become notes. */
export async function stopTraces(
  io: AttemptIo,
  handles: readonly TraceHandle[],
  notes: string[],
): Promise<void> {
  if (handles.length === 0) return;
  const stopped = Promise.allSettled(handles.map((h) => h.stop()));
  const settled = await settleGuarded(stopped, {
    graceMs: io.options.graceMs,
    limitMs: 0,
    supervisor: io.supervisor.name,
    what: 'trace stop',
  });
  if (!settled.ok) notes.push(describeCause(settled.error));
  else
    for (const r of settled.value) if (r.status === 'rejected') notes.push(describeCause(r.reason));
}

/** Name of the file, next to an attempt's output, holding the evidence of a crash. */
export const CRASH_EVIDENCE_FILE = 'crash-evidence';

/** Keep the evidence of a crash (e.g. the console with the panic) with the attempt. */
export async function saveEvidence(
  recorder: AttemptRecorder,
  evidence: string,
  notes: string[],
): Promise<void> {
  try {
    await writeFile(recorder.tracePath(CRASH_EVIDENCE_FILE), `${evidence}\n`);
  } catch (error) {
    notes.push(`crash evidence not saved: ${describeCause(error)}`);
  }
}

/** Collect the test's artifacts into the recorder's directory; failures become notes. */
export async function collectArtifacts(
  io: AttemptIo,
  recorder: AttemptRecorder,
  notes: string[],
): Promise<readonly CollectedArtifact[]> {
  const { test, ctx } = io;
  if (!test.artifacts) return [];
  try {
    const paths = test.artifacts(ctx);
    if (paths.length === 0) return [];
    return await io.supervisor.collect(paths, recorder.artifactsDir, { signal: io.execSignal });
  } catch (error) {
    notes.push(`artifacts: ${describeCause(error)}`);
    return [];
  }
}

/** Store `result` through `recorder` (when there is one); a failure becomes a note. */
export async function finishRecorder(
  recorder: AttemptRecorder | undefined,
  result: TestResult,
): Promise<TestResult> {
  if (!recorder) return result;
  try {
    await recorder.finish(result);
    return result;
  } catch (error) {
    return {
      ...result,
      summary: withNotes(result.summary, [`results store: ${describeCause(error)}`]),
    };
  }
}
