import { describeCause } from '../errors.js';
import type { FinalTestResult, Test, TestResult } from '../test.js';
import { Deque } from './deque.js';
import type { EventEmitter } from './emitter.js';

/** Book-keeping of one test across its attempts. */
export interface TestEntry {
  readonly test: Test;
  /** Every attempt so far, in order. */
  readonly attempts: TestResult[];
  /** Times it was put back in the queue because its supervisor died. */
  reschedules: number;
  /** Attempts that ran again because the previous one failed. */
  retries: number;
}

function isFailure(r: TestResult): boolean {
  return r.outcome === 'completed' && (r.status === 'fail' || r.status === 'error');
}

/**
 * The shared queue and the final results. Workers `take` a test, then either `finish` it or
 * `requeue` it (at the front). The state is drained when the queue is empty and no test is out.
 */
export class RunState {
  readonly results: FinalTestResult[] = [];
  readonly #queue: Deque<TestEntry>;
  readonly #emitter: EventEmitter;
  readonly #drained = new AbortController();
  readonly #storeFinal: ((result: FinalTestResult) => Promise<void>) | undefined;
  readonly #storing = new Set<Promise<void>>();
  #storeWarned = false;
  #out = 0;
  #waiters: (() => void)[] = [];

  readonly #onFinal: ((entry: TestEntry) => void) | undefined;

  /**
   * `onFinal` is told of every test that got its final result; `storeFinal` stores each final
   * result (`ResultSink.finishTest`), and `settled` waits for it.
   */
  constructor(
    tests: readonly Test[],
    emitter: EventEmitter,
    onFinal?: (entry: TestEntry) => void,
    storeFinal?: (result: FinalTestResult) => Promise<void>,
  ) {
    this.#queue = new Deque(
      tests.map((test) => ({ test, attempts: [], reschedules: 0, retries: 0 })),
    );
    this.#emitter = emitter;
    this.#onFinal = onFinal;
    this.#storeFinal = storeFinal;
    if (tests.length === 0) this.#drained.abort();
  }

  /** Resolves once every final result handed to `storeFinal` so far has been stored (or failed). */
  async settled(): Promise<void> {
    await Promise.all(this.#storing);
  }

  /** Aborts once every test has its final result. */
  get drainedSignal(): AbortSignal {
    return this.#drained.signal;
  }

  /** Take the next test, or `undefined` when the queue is empty. */
  take(): TestEntry | undefined {
    const entry = this.#queue.shift();
    if (entry) this.#out++;
    return entry;
  }

  /**
   * Take the entries `choose` picks (indexes) among the first `lookahead` queued ones; the
   * others stay queued in their order.
   */
  takeSome(lookahead: number, choose: (entries: readonly TestEntry[]) => readonly number[]) {
    const window: TestEntry[] = [];
    for (let e = this.#queue.shift(); e !== undefined; e = this.#queue.shift()) {
      window.push(e);
      if (window.length >= lookahead) break;
    }
    const picked = new Set(choose(window));
    for (let i = window.length - 1; i >= 0; i--) {
      if (!picked.has(i)) this.#queue.unshift(window[i] as TestEntry);
    }
    const taken = window.filter((_, i) => picked.has(i));
    this.#out += taken.length;
    return taken;
  }

  /** Put a taken test back at the front of the queue and wake idle workers. */
  requeue(entry: TestEntry): void {
    this.#queue.unshift(entry);
    this.#out--;
    this.#wake();
  }

  /** Record the final attempt of a taken test and emit `test:finished`. */
  finish(entry: TestEntry, last: TestResult): FinalTestResult {
    entry.attempts.push(last);
    const final: FinalTestResult = {
      ...last,
      attempts: entry.attempts,
      retries: entry.retries,
      reschedules: entry.reschedules,
      flaky: last.status === 'pass' && entry.attempts.some(isFailure),
    };
    this.results.push(final);
    this.#store(final);
    this.#out--;
    this.#onFinal?.(entry);
    this.#emitter.emit({ type: 'test:finished', result: final });
    if (this.#out === 0 && this.#queue.length === 0) {
      this.#drained.abort();
      this.#wake();
    }
    return final;
  }

  #store(final: FinalTestResult): void {
    if (!this.#storeFinal) return;
    const storing: Promise<void> = Promise.resolve()
      .then(() => this.#storeFinal?.(final))
      .catch((error: unknown) => {
        if (this.#storeWarned) return;
        this.#storeWarned = true;
        process.emitWarning(
          `the result sink could not store the final result of ${final.testId}: ${describeCause(error)} (further sink errors are ignored)`,
          { code: 'FF_SINK_ERROR' },
        );
      })
      .finally(() => this.#storing.delete(storing));
    this.#storing.add(storing);
  }

  /** Remove and return the ids of every test still queued. */
  drainUnfinished(): string[] {
    return this.#queue.drain().map((e) => e.test.id);
  }

  /** Resolve when the queue may have changed, the run drained, or `signal` aborts. */
  waitForWork(signal: AbortSignal): Promise<void> {
    if (signal.aborted || this.#drained.signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = () => {
        signal.removeEventListener('abort', wake);
        resolve();
      };
      signal.addEventListener('abort', wake, { once: true });
      this.#waiters.push(wake);
    });
  }

  #wake(): void {
    const waiters = this.#waiters;
    if (waiters.length === 0) return;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }
}
