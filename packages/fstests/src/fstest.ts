/** `FSTest`: one fstests test (in one section) run through `./check` on a supervisor. */
import {
  type AttemptContext,
  type CommandSpec,
  type CompletedRun,
  type Test,
  type Verdict,
  shellQuote,
} from '@ff/parallelrunner';
import type { Selection } from './collect/collect.js';
import { parseCheckOutput } from './parse/check-output.js';
import { classifyCheckRun } from './parse/classify.js';

/**
 * Where the fstests tree lives on a supervisor: one path for all, or a function of the
 * supervisor's name (hosts given as `HOST:PATH` may each have their own path).
 */
export type FstestsDirOnSupervisor = string | ((supervisor: string) => string);

/** The files `./check` leaves per test in its results directory. */
export const ARTIFACT_SUFFIXES: readonly string[] = [
  'out.bad',
  'full',
  'dmesg',
  'notrun',
  'hints',
  'core',
  'kmemleak',
];

/** Options of `new FSTest`. */
export interface FSTestOptions {
  /** The name `./check` takes: `generic/001`. */
  readonly name: string;
  /** Unique id within the run. Default: `name`. */
  readonly id?: string;
  /** `./check -s SECTION`. Default: none (check runs its default sections). */
  readonly section?: string;
  /** `./check -S SECTION` for each. Default: none. */
  readonly excludeSections?: readonly string[];
  /** The fstests directory on the supervisor. */
  readonly fstestsDir: FstestsDirOnSupervisor;
  /** Per-test timeout in milliseconds. Default: the runner's. */
  readonly timeoutMs?: number;
}

/** One fstests test: `cd <fstests> && ./check [-s S] [-S X...] <name>`. */
export class FSTest implements Test {
  /** Unique id within the run (default: `name`). */
  readonly id: string;
  /** The name `./check` takes: `generic/001`. */
  readonly name: string;
  /** `./check -s SECTION`; undefined runs check's default sections. */
  readonly section: string | undefined;
  /** Sections passed as `./check -S SECTION` (may be empty). */
  readonly excludeSections: readonly string[];
  /** The fstests directory on the supervisor (one path, or per supervisor name). */
  readonly fstestsDir: FstestsDirOnSupervisor;
  /** Per-test timeout in milliseconds; absent means the runner's `testTimeoutMs`. */
  readonly timeoutMs?: number;

  constructor(options: FSTestOptions) {
    this.name = options.name;
    this.id = options.id ?? options.name;
    this.section = options.section;
    this.excludeSections = [...(options.excludeSections ?? [])];
    this.fstestsDir = options.fstestsDir;
    if (options.timeoutMs !== undefined) this.timeoutMs = options.timeoutMs;
  }

  /** The fstests directory on `supervisor`. */
  dirOn(supervisor: string): string {
    return typeof this.fstestsDir === 'string' ? this.fstestsDir : this.fstestsDir(supervisor);
  }

  /** The `./check` arguments, unquoted. */
  checkArgs(): string[] {
    const args = this.section === undefined ? [] : ['-s', this.section];
    for (const s of this.excludeSections) args.push('-S', s);
    args.push(this.name);
    return args;
  }

  /** `cd <fstests dir on ctx.supervisor> && ./check <checkArgs>`, every argument quoted. */
  command(ctx: AttemptContext): CommandSpec {
    const args = this.checkArgs().map(shellQuote).join(' ');
    return { command: `cd ${shellQuote(this.dirOn(ctx.supervisor))} && ./check ${args}` };
  }

  /**
   * Parse `./check`'s stdout and classify this test: a failure marker or a `Failures:` listing
   * is `fail`; `[not run]` or expunged is `skip`; canceled, timed out, interrupted, no result
   * line or an abnormal exit is `error`.
   */
  evaluate(run: CompletedRun): Verdict {
    return classifyCheckRun(parseCheckOutput(run.stdout), this.name, run);
  }

  /** `<fstests>/results/[<section>/]<dir>/<NNN>.{out.bad,full,dmesg,notrun,hints,core,kmemleak}`. */
  artifacts(ctx: AttemptContext): readonly string[] {
    const base = `${this.dirOn(ctx.supervisor).replace(/\/+$/, '')}/results`;
    const sectionDir = this.section === undefined ? '' : `/${this.section}`;
    return ARTIFACT_SUFFIXES.map((suffix) => `${base}${sectionDir}/${this.name}.${suffix}`);
  }
}

/** Options of `fsTestsFromSelection`. */
export interface FromSelectionOptions {
  /** The fstests directory on the supervisor (one path, or per supervisor name). */
  readonly fstestsDir: FstestsDirOnSupervisor;
  /** Per-test timeout in milliseconds. Default: the runner's. */
  readonly timeoutMs?: number;
}

/** One `FSTest` per selected test, with the selection's `-S` sections. */
export function fsTestsFromSelection(
  selection: Pick<Selection, 'tests' | 'excludeSections'>,
  options: FromSelectionOptions,
): FSTest[] {
  return selection.tests.map(
    (t) =>
      new FSTest({
        name: t.name,
        id: t.id,
        section: t.section,
        excludeSections: selection.excludeSections,
        fstestsDir: options.fstestsDir,
        timeoutMs: options.timeoutMs,
      }),
  );
}
