import type { ExecResult } from '../supervisor.js';
import type { AttemptContext, CommandSpec, Test, Verdict } from '../test.js';

/**
 * What a batch's output says about one of its tests. A dispatch reports these as the command's
 * output streams in; the runner records each test's result as soon as it is `finished`.
 */
export type Attribution =
  /** `testId` began to run (its clock and per-test timeout start now). */
  | { readonly kind: 'started'; readonly testId: string }
  /** Output that belongs to `testId` (stored as that test's stdout or stderr). */
  | {
      readonly kind: 'output';
      readonly testId: string;
      readonly stream: 'stdout' | 'stderr';
      readonly chunk: Buffer;
    }
  /**
   * `testId` is done with this verdict. `durationMs`: the suite's own measure of the test, when
   * it prints one; else the runner's clock from `started` to now.
   */
  | {
      readonly kind: 'finished';
      readonly testId: string;
      readonly verdict: Verdict;
      readonly durationMs?: number;
    };

/** What a batcher is told about the dispatch it is about to make. */
export interface BatchContext {
  /** Name of the supervisor the batch runs on. */
  readonly supervisor: string;
  /** The attempt each test makes in this batch, in the order of the tests given. */
  readonly attempts: readonly AttemptContext[];
}

/** One dispatch of several tests as one command, and the reading of its output. */
export interface BatchDispatch {
  /** The command that runs every test of the batch. Quote every argument. */
  readonly command: CommandSpec;
  /**
   * Ids in the order the command runs them: a hang or a death before any test has `started`
   * is blamed on the first. Default: the order the tests were given in.
   */
  readonly order?: readonly string[];
  /** Read a chunk of the command's output; say what it established. Must not throw. */
  write(stream: 'stdout' | 'stderr', chunk: Buffer): readonly Attribution[];
  /**
   * The command ended by itself (not killed, not cancelled, its supervisor alive): say what is
   * left to say. A test never `started` by now goes back to the queue unrun when another test
   * of the batch ran, and is recorded as `error` when none did; a test `started` but not
   * `finished` is recorded as `error`.
   */
  end(run: ExecResult): readonly Attribution[];
}

/**
 * A suite's way of running several tests in one command, e.g. a test harness whose start-up is
 * expensive (fstests' `./check` checks the test device before its first test). The runner keeps
 * one result per test: each attempt is recorded when the dispatch's output says it finished.
 */
export interface Batcher {
  /** Tests with equal keys may share a batch; `undefined`: this test always runs alone. */
  key(test: Test): string | undefined;
  /**
   * Whether `test` (of the batch's key) may join `batch`. Default: yes. A suite whose command
   * takes test names refuses a second test of the same name, for example.
   */
  canJoin?(batch: readonly Test[], test: Test): boolean;
  /** Start reading one batch of `tests` (two or more, one key, queue order). May throw. */
  dispatch(tests: readonly Test[], ctx: BatchContext): BatchDispatch;
}

/** `RunnerOptions.batching`: run short tests several to a command. */
export interface BatchingOptions {
  /** The suite's batcher. */
  readonly batcher: Batcher;
  /**
   * Estimated duration in ms by test id (e.g. from a results store's history). A test without
   * one runs alone, and so does a test that crashed its supervisor in this run.
   */
  readonly durations: ReadonlyMap<string, number>;
  /** Longest estimated length of one batch, in ms. Default `600_000` (10 minutes). */
  readonly targetMs?: number;
  /** Most tests in one batch. Default `100`. */
  readonly maxTests?: number;
}
