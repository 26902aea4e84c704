import type { Attribution, BatchDispatch, Batcher } from '../batch/batcher.js';
import { describeCause } from '../errors.js';
import type { ExecResult, Supervisor } from '../supervisor.js';
import type { AttemptContext, TestResult, Verdict } from '../test.js';
import { deathOf, formatDuration, isVerdict } from './attempt-io.js';
import { BatchMember, type MemberEnd } from './batch-member.js';
import { settleGuarded } from './guard.js';
import type { ResolvedOptions } from './options.js';
import type { TestEntry } from './run-state.js';

/** Everything one batch needs. */
export interface BatchInput {
  /** The batch, in queue order, with the attempt each test makes. */
  readonly entries: readonly TestEntry[];
  readonly contexts: readonly AttemptContext[];
  readonly batcher: Batcher;
  readonly supervisor: Supervisor;
  readonly options: ResolvedOptions;
  /** Aborts when the run is cancelled. */
  readonly runSignal: AbortSignal;
  /** Aborts when the supervisor was found dead by a probe. */
  readonly deadSignal: AbortSignal;
  /** Aborts when either of the above does. */
  readonly execSignal: AbortSignal;
  /** A test of the batch began its attempt. */
  readonly onStarted: (entry: TestEntry, ctx: AttemptContext, startedAt: number) => void;
  /** A test's attempt completed (or was canceled) and is stored: file it. */
  readonly onResult: (entry: TestEntry, result: TestResult) => void;
}

/** How a batch ended, beyond the results already handed to `onResult`. */
export interface BatchEnd {
  /** The supervisor died: why, and the attempt of every test that was running (or due). */
  readonly death?: {
    readonly error: Error;
    readonly crashed: readonly { readonly entry: TestEntry; readonly result: TestResult }[];
  };
  /** Tests that did not run: they go back to the queue as they are. */
  readonly unrun: readonly TestEntry[];
  /** Tests that made an attempt. */
  readonly attempts: number;
  /** Milliseconds from the dispatch to its first test's start, when a test started. */
  readonly startupMs?: number;
  /** A test timed out and the command was killed: the supervisor should be probed. */
  readonly timedOut: boolean;
}

/** Run one batch. Never throws: every failure becomes part of the outcome. */
export function runBatch(input: BatchInput): Promise<BatchEnd> {
  return new BatchRun(input).run();
}

function exitNote(run: ExecResult): string {
  if (run.exitSignal !== null) return ` (batch command killed by ${run.exitSignal})`;
  return run.exitCode === null ? '' : ` (batch command exit status ${run.exitCode})`;
}

class BatchRun {
  readonly #in: BatchInput;
  #members: BatchMember[];
  readonly #byId = new Map<string, BatchMember>();
  readonly #ends = new Map<BatchMember, Promise<TestResult>>();
  readonly #kill = new AbortController();
  #killed:
    | { readonly member: BatchMember; readonly verdict: Verdict; timedOut: boolean }
    | undefined;
  #current: BatchMember | undefined;
  #chain: Promise<void> = Promise.resolve();
  readonly #clocks = new Map<BatchMember | 'gap', ReturnType<typeof setTimeout>>();
  #over = false;
  #execStart = 0;
  #startupMs: number | undefined;

  constructor(input: BatchInput) {
    this.#in = input;
    const { supervisor, options, deadSignal, execSignal } = input;
    this.#members = input.entries.map((entry, i) => {
      const ctx = input.contexts[i] as AttemptContext;
      const io = { test: entry.test, ctx, supervisor, options, deadSignal, execSignal };
      return new BatchMember(entry, io);
    });
    for (const m of this.#members) this.#byId.set(m.id, m);
  }

  async run(): Promise<BatchEnd> {
    const { supervisor, options } = this.#in;
    let dispatch: BatchDispatch;
    try {
      dispatch = this.#in.batcher.dispatch(
        this.#in.entries.map((e) => e.test),
        { supervisor: supervisor.name, attempts: this.#in.contexts },
      );
    } catch (error) {
      const summary = `batcher.dispatch() threw: ${describeCause(error)}`;
      for (const m of this.#members) this.#end(m, { kind: 'completed', verdict: error_(summary) });
      return this.#finish(false);
    }
    this.#order(dispatch.order);
    const signal = AbortSignal.any([this.#in.execSignal, this.#kill.signal]);
    this.#execStart = options.now();
    this.#gap();
    const exec = Promise.resolve().then(() =>
      supervisor.exec(dispatch.command, {
        signal,
        onStdout: (chunk) => this.#read(() => dispatch.write('stdout', chunk)),
        onStderr: (chunk) => this.#read(() => dispatch.write('stderr', chunk)),
      }),
    );
    const settled = await settleGuarded(exec, {
      signal,
      graceMs: options.graceMs,
      supervisor: supervisor.name,
      what: 'exec',
    });
    this.#over = true;
    for (const timer of this.#clocks.values()) clearTimeout(timer);
    const run = settled.ok ? settled.value : undefined;
    const running = this.#members.filter((m) => m.startedAt !== undefined && !m.ended);
    if (this.#in.runSignal.aborted && (run === undefined || run.canceled)) {
      for (const m of running) this.#end(m, { kind: 'canceled' });
      return this.#finish(false);
    }
    if (run === undefined || (run.canceled && this.#in.deadSignal.aborted)) {
      const error = deathOf(this.#in, settled.ok ? undefined : settled.error);
      return this.#died(error, running);
    }
    const killed = this.#killed;
    if (killed) {
      this.#end(killed.member, {
        kind: 'completed',
        verdict: killed.verdict,
        timedOut: killed.timedOut,
      });
      const verdict = error_(`the batch was stopped: ${killed.verdict.summary}`);
      for (const m of running) if (!m.ended) this.#end(m, { kind: 'completed', verdict });
      return this.#finish(killed.timedOut);
    }
    this.#read(() => dispatch.end(run), true);
    const ran = this.#members.some((m) => m.startedAt !== undefined);
    for (const m of this.#members) {
      if (m.ended) continue;
      if (m.startedAt !== undefined) {
        this.#end(m, {
          kind: 'completed',
          verdict: error_(`no result for ${m.id}${exitNote(run)}`),
        });
      } else if (!ran) {
        const summary = `the batch command ended before ${m.id} ran${exitNote(run)}`;
        this.#end(m, { kind: 'completed', verdict: error_(summary) });
      }
    }
    return this.#finish(false);
  }

  /** Put the members in the order the command runs them (ids it names first). */
  #order(order: readonly string[] | undefined): void {
    if (!order) return;
    const named = order.flatMap((id) => this.#byId.get(id) ?? []);
    const rest = this.#members.filter((m) => !named.includes(m));
    this.#members = [...new Set(named), ...rest];
  }

  /**
   * Read attributions (after the command ended only the `final` ones, from `end`); a reader
   * that throws stops the batch, blaming the test it was on.
   */
  #read(attribute: () => readonly Attribution[], final = false): void {
    if (this.#over && !final) return;
    let attributions: readonly Attribution[];
    try {
      attributions = attribute();
    } catch (error) {
      const member = this.#current ?? this.#firstUnstarted();
      const summary = `the batch's output could not be read: ${describeCause(error)}`;
      if (member) this.#stop(member, error_(summary), false);
      return;
    }
    for (const a of attributions) this.#apply(a);
  }

  #apply(a: Attribution): void {
    const member = this.#byId.get(a.testId);
    if (!member || member.ended) return;
    if (a.kind === 'started') {
      this.#start(member);
      this.#startupMs ??= (member.startedAt ?? 0) - this.#execStart;
      this.#current = member;
      this.#clock(member, member);
      this.#gap();
    } else if (a.kind === 'output') {
      this.#start(member);
      member.write(a.stream, a.chunk);
    } else {
      const verdict = isVerdict(a.verdict)
        ? a.verdict
        : error_(`the batcher gave an invalid verdict: ${JSON.stringify(a.verdict)}`);
      const durationMs =
        typeof a.durationMs === 'number' && Number.isFinite(a.durationMs) && a.durationMs >= 0
          ? a.durationMs
          : undefined;
      this.#end(member, {
        kind: 'completed',
        verdict,
        ...(durationMs === undefined ? {} : { durationMs }),
      });
      if (this.#current === member) this.#current = undefined;
    }
  }

  #start(member: BatchMember): void {
    if (member.startedAt !== undefined) return;
    member.begin();
    const index = this.#in.entries.indexOf(member.entry);
    const ctx = this.#in.contexts[index] as AttemptContext;
    this.#in.onStarted(member.entry, ctx, member.startedAt ?? 0);
  }

  /** End `member`'s attempt now; its result is filed in attribution order. */
  #end(member: BatchMember, how: MemberEnd): Promise<TestResult> {
    const ended = this.#ends.get(member);
    if (ended) return ended;
    this.#start(member);
    const done = member.end(how);
    this.#ends.set(member, done);
    this.#clock(member, undefined);
    this.#gap();
    if (how.kind !== 'crashed') {
      this.#chain = this.#chain.then(async () => this.#in.onResult(member.entry, await done));
    }
    return done;
  }

  #firstUnstarted(): BatchMember | undefined {
    return this.#members.find((m) => m.startedAt === undefined && !m.ended);
  }

  /** (Re)start the per-test clock under `slot` for `member` (none: stop it). */
  #clock(slot: BatchMember | 'gap', member: BatchMember | undefined): void {
    clearTimeout(this.#clocks.get(slot));
    this.#clocks.delete(slot);
    if (this.#over || !member) return;
    const ms = member.entry.test.timeoutMs ?? this.#in.options.testTimeoutMs;
    if (ms === undefined) return;
    const verdict = error_(`timed out after ${formatDuration(ms)}`);
    this.#clocks.set(
      slot,
      setTimeout(() => this.#stop(member, verdict, true), ms),
    );
  }

  /**
   * While no test runs (before the first, between two), the next test's clock runs: a command
   * that hangs in its start-up or between tests is stopped too.
   */
  #gap(): void {
    const running = this.#members.some((m) => m.startedAt !== undefined && !m.ended);
    this.#clock('gap', running ? undefined : this.#firstUnstarted());
  }

  /** Kill the command, recording `verdict` for `member`. */
  #stop(member: BatchMember, verdict: Verdict, timedOut: boolean): void {
    if (this.#killed) return;
    this.#killed = { member, verdict, timedOut };
    this.#kill.abort(new Error(verdict.summary));
  }

  async #died(error: Error, running: readonly BatchMember[]): Promise<BatchEnd> {
    const due = running.length > 0 ? running : [this.#firstUnstarted()].flatMap((m) => m ?? []);
    const crashed = await Promise.all(
      due.map(async (m) => ({
        entry: m.entry,
        result: await this.#end(m, { kind: 'crashed', error }),
      })),
    );
    const end = await this.#finish(false);
    return { ...end, death: { error, crashed } };
  }

  async #finish(timedOut: boolean): Promise<BatchEnd> {
    await this.#chain;
    return {
      unrun: this.#members.filter((m) => !m.ended).map((m) => m.entry),
      attempts: this.#members.filter((m) => m.startedAt !== undefined).length,
      ...(this.#startupMs === undefined ? {} : { startupMs: this.#startupMs }),
      timedOut,
    };
  }
}

function error_(summary: string): Verdict {
  return { status: 'error', summary };
}
