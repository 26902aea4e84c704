import { SupervisorDiedError, describeCause } from '../errors.js';
import type { AttemptRecorder } from '../sink.js';
import type { TraceHandle } from '../supervisor.js';
import type { TestResult, Verdict } from '../test.js';
import {
  type AttemptIo,
  collectArtifacts,
  finishRecorder,
  saveEvidence,
  startTraces,
  stopTraces,
  withNotes,
} from './attempt-io.js';
import type { TestEntry } from './run-state.js';

/** How a member's attempt ended. */
export type MemberEnd =
  | {
      readonly kind: 'completed';
      readonly verdict: Verdict;
      readonly durationMs?: number;
      readonly timedOut?: boolean;
    }
  | { readonly kind: 'canceled' }
  | { readonly kind: 'crashed'; readonly error: Error };

type Chunk = { readonly stream: 'stdout' | 'stderr'; readonly chunk: Buffer };

/**
 * One test's attempt inside a batch: it begins (recorder, traces) when the batch's output says
 * the test started, takes the output attributed to it, and is stored when it ends.
 */
export class BatchMember {
  /** When it started (runner clock), once it has. */
  startedAt: number | undefined;
  /** Its result was asked for (it finished, crashed, was canceled or timed out). */
  ended = false;
  readonly #notes: string[] = [];
  #recorder: AttemptRecorder | undefined;
  #storeError: string | undefined;
  #opened: Promise<TraceHandle[]> | undefined;
  #buffered: Chunk[] = [];

  constructor(
    readonly entry: TestEntry,
    readonly io: AttemptIo,
  ) {}

  /** Id of its test. */
  get id(): string {
    return this.entry.test.id;
  }

  /** Start the attempt now (idempotent): open its recorder and start its traces. */
  begin(): void {
    if (this.startedAt !== undefined) return;
    this.startedAt = this.io.options.now();
    this.#opened = this.#open();
  }

  /** Output attributed to the test; kept until the recorder is open. */
  write(stream: 'stdout' | 'stderr', chunk: Buffer): void {
    if (this.ended) return;
    if (this.#recorder) this.#recorder.write(stream, chunk);
    else if (this.#opened) this.#buffered.push({ stream, chunk });
  }

  /** End the attempt and store it; resolves with the result. Never rejects. */
  async end(how: MemberEnd): Promise<TestResult> {
    this.begin();
    this.ended = true;
    const { io } = this;
    const traces = (await this.#opened) ?? [];
    const elapsed = io.options.now() - (this.startedAt ?? 0);
    await stopTraces(io, traces, this.#notes);
    const recorder = this.#recorder;
    const base = {
      testId: this.id,
      attemptId: io.ctx.attemptId,
      attempt: io.ctx.attempt,
      supervisor: io.supervisor.name,
      startedAt: this.startedAt ?? 0,
      durationMs: how.kind === 'completed' ? (how.durationMs ?? elapsed) : elapsed,
      exitCode: null,
      exitSignal: null,
      timedOut: how.kind === 'completed' && how.timedOut === true,
      canceled: how.kind === 'canceled',
      ...(recorder ? { outputDir: recorder.dir } : {}),
    };
    let result: TestResult;
    if (this.#storeError !== undefined) {
      result = { ...base, status: 'error', summary: this.#storeError, outcome: 'completed' };
    } else if (how.kind === 'completed') {
      if (recorder) await collectArtifacts(io, recorder, this.#notes);
      const { status, summary } = how.verdict;
      result = { ...base, status, summary: withNotes(summary, this.#notes), outcome: 'completed' };
    } else if (how.kind === 'canceled') {
      const summary = withNotes('canceled', this.#notes);
      result = { ...base, status: 'error', summary, outcome: 'canceled' };
    } else {
      const evidence = how.error instanceof SupervisorDiedError ? how.error.evidence : undefined;
      if (recorder && evidence !== undefined) await saveEvidence(recorder, evidence, this.#notes);
      result = {
        ...base,
        status: 'error',
        summary: withNotes(`supervisor died: ${how.error.message}`, this.#notes),
        outcome: 'crashed',
        ...(evidence !== undefined ? { crashEvidence: evidence } : {}),
      };
    }
    return finishRecorder(recorder, result);
  }

  async #open(): Promise<TraceHandle[]> {
    const { io } = this;
    const sink = io.options.sink;
    if (!sink) return [];
    try {
      this.#recorder = await sink.beginAttempt(io.test, io.ctx);
    } catch (error) {
      this.#storeError = `results store: ${describeCause(error)}`;
      this.#buffered = [];
      return [];
    }
    for (const { stream, chunk } of this.#buffered) this.#recorder.write(stream, chunk);
    this.#buffered = [];
    return startTraces(io, this.#recorder, this.#notes);
  }
}
