import { type CompletedRun, type Test, type Verdict, shellQuote } from '@ff/parallelrunner';

/** Exit status that marks a test as skipped (the automake convention). */
export const SKIP_EXIT_CODE = 77;

function lastLine(text: string): string {
  const lines = text.trimEnd().split('\n');
  return lines[lines.length - 1] ?? '';
}

/**
 * A test that is one shell script in the supervisor's directory: `sh ./NAME.sh`. Exit 0 passes,
 * 77 skips, anything else fails; the summary is the last line the script printed.
 */
export function scriptTest(name: string, timeoutMs?: number): Test {
  return {
    id: `dir/${name}`,
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    command: (ctx) => ({
      command: `sh ${shellQuote(`./${name}.sh`)}`,
      env: { ATTEMPT: String(ctx.attempt) },
    }),
    evaluate(run: CompletedRun): Verdict {
      const summary = lastLine(run.stderr) || lastLine(run.stdout);
      if (run.exitCode === 0) return { status: 'pass', summary };
      if (run.exitCode === SKIP_EXIT_CODE) return { status: 'skip', summary };
      return { status: 'fail', summary: summary || `exit ${String(run.exitCode)}` };
    },
    artifacts: () => [`${name}.log`],
  };
}
