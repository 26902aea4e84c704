import type { AttemptContext, CommandSpec, CompletedRun, Test, Verdict } from '../test.js';

/** Options of `fakeTest`. */
export interface FakeTestOptions {
  /** Per-test timeout in ms. Default: none. */
  readonly timeoutMs?: number;
  /** Artifact paths to collect after each attempt. Default: none. */
  readonly artifacts?: readonly string[];
  /** Exit code meaning "skipped". Default `77`. */
  readonly skipCode?: number;
}

/**
 * A `Test` for fakes: its command is its id (so a `FakeScript.commands` entry keyed by the id
 * scripts it); exit 0 passes, `skipCode` skips, anything else fails with the first line of
 * stderr (or stdout) as the summary.
 */
export function fakeTest(id: string, options: FakeTestOptions = {}): Test {
  const skipCode = options.skipCode ?? 77;
  const artifacts = options.artifacts;
  return {
    id,
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    command(): CommandSpec {
      return { command: id };
    },
    evaluate(run: CompletedRun): Verdict {
      const firstLine = (run.stderr || run.stdout).split('\n', 1)[0] ?? '';
      if (run.exitCode === 0) return { status: 'pass', summary: '' };
      if (run.exitCode === skipCode) return { status: 'skip', summary: firstLine };
      return { status: 'fail', summary: firstLine || `exit status ${String(run.exitCode)}` };
    },
    ...(artifacts ? { artifacts: (_ctx: AttemptContext) => artifacts } : {}),
  };
}
