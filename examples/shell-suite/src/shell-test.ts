import { basename } from 'node:path';
import {
  type AttemptContext,
  type CommandSpec,
  type CompletedRun,
  type Test,
  type Verdict,
  shellQuote,
} from '@ff/parallelrunner';

/** automake's exit statuses: 77 marks a skip, 99 a hard error (the test itself broke). */
export const EXIT_SKIP = 77;
export const EXIT_HARD_ERROR = 99;

/** The reason a script gave on a `SKIP: ...` or `FAIL: ...` line of its stdout (the last one). */
function reason(stdout: string, tag: 'SKIP' | 'FAIL'): string | undefined {
  const prefix = `${tag}: `;
  const lines = stdout.split('\n').filter((line) => line.startsWith(prefix));
  return lines[lines.length - 1]?.slice(prefix.length);
}

/**
 * One shell script of the suite, run as `sh SCRIPT` in the supervisor's working directory with
 * `SUITE_ATTEMPT` set to the attempt number. Exit 0 passes, 77 skips, 99 is an error, anything
 * else fails; the summary is the script's last `SKIP: ...`/`FAIL: ...` line. Files the script
 * leaves named `<name>.log` are collected as artifacts.
 */
export class ShellScriptTest implements Test {
  readonly id: string;
  readonly name: string;

  /** @param script absolute path of the script; its base name without `.sh` names the test. */
  constructor(
    readonly script: string,
    readonly timeoutMs?: number,
  ) {
    this.name = basename(script, '.sh');
    this.id = `shell/${this.name}`;
  }

  command(ctx: AttemptContext): CommandSpec {
    return {
      command: `sh ${shellQuote(this.script)}`,
      env: { SUITE_ATTEMPT: String(ctx.attempt) },
    };
  }

  evaluate(run: CompletedRun): Verdict {
    switch (run.exitCode) {
      case 0:
        return { status: 'pass', summary: '' };
      case EXIT_SKIP:
        return { status: 'skip', summary: reason(run.stdout, 'SKIP') ?? 'skipped' };
      case EXIT_HARD_ERROR:
        return { status: 'error', summary: reason(run.stdout, 'FAIL') ?? 'hard error (exit 99)' };
      default:
        return {
          status: 'fail',
          summary: reason(run.stdout, 'FAIL') ?? `exit ${String(run.exitCode ?? run.exitSignal)}`,
        };
    }
  }

  artifacts(): readonly string[] {
    return [`${this.name}.log`];
  }
}
