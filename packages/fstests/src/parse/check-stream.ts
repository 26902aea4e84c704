/**
 * Reading the output of one `./check` that runs several tests, as it streams: which test runs
 * now, which output is whose, and each test's verdict as soon as its line is complete (when the
 * next test's name, a section header or the summary appears). The verdicts are the ones
 * `classifyCheckRun` gives a test run alone.
 */
import type { Attribution, ExecResult } from '@ff/parallelrunner';
import { parseCheckOutput } from './check-output.js';
import { blockVerdict, classifyCheckRun } from './classify.js';

/** One test of the batch: its id in the run and the name `./check` prints. */
export interface StreamTest {
  readonly id: string;
  readonly name: string;
}

const NAME = /^([A-Za-z0-9_-]+\/[0-9]{3}-?[A-Za-z0-9-]*)(?=\s)/;
const HEADER = /^[A-Z][A-Z_]*\s+-- ?/;
const SUMMARY =
  /^(Ran|Not run|Failures):|^Failed \d+ of \d+ tests|^Passed all \d+ tests|^Interrupted!/;

/**
 * Attributes `./check`'s streamed output to the tests of a batch. `sectioned`: the command
 * named a section (`-s`); without one, a sectioned local.config runs every test in every
 * section, so each result is only known at the end of the command.
 */
export class CheckStream {
  readonly #byName: ReadonlyMap<string, StreamTest>;
  readonly #sectioned: boolean;
  #partial = '';
  /** The partial line's test start has been handled. */
  #startSeen = false;
  #current: StreamTest | undefined;
  /** Header lines since the last test, given to each test that starts after them. */
  #preamble = '';
  /** The last lines read were section headers (a new preamble is being read). */
  #inHeader = false;
  #text = '';
  /** What the current test wrote to stderr. */
  #stderr = '';
  readonly #all: string[] = [];
  #deferred = false;
  #summarised = false;
  readonly #seen = new Set<string>();
  readonly #done = new Set<string>();

  constructor(tests: readonly StreamTest[], sectioned: boolean) {
    this.#byName = new Map(tests.map((t) => [t.name, t]));
    this.#sectioned = sectioned;
  }

  /** Read a chunk of stdout or stderr. */
  write(stream: 'stdout' | 'stderr', chunk: Buffer): Attribution[] {
    const out: Attribution[] = [];
    if (stream === 'stderr') {
      if (!this.#current) return out;
      this.#stderr += chunk.toString('utf8');
      out.push({ kind: 'output', testId: this.#current.id, stream, chunk });
      return out;
    }
    const lines = (this.#partial + chunk.toString('utf8')).split('\n');
    this.#partial = lines.pop() ?? '';
    for (const line of lines) {
      this.#line(line, out);
      this.#startSeen = false;
    }
    this.#start(this.#partial, false, out);
    return out;
  }

  /** The command ended by itself: finish what is left (see `BatchDispatch.end`). */
  end(run: ExecResult, tests: readonly StreamTest[]): Attribution[] {
    const out: Attribution[] = [];
    if (this.#partial !== '') this.#line(this.#partial, out);
    this.#partial = '';
    const facts = { ...run, stdout: '', stderr: '' };
    if (this.#deferred) {
      const output = parseCheckOutput(this.#all.join('\n'));
      for (const t of tests) {
        if (!this.#seen.has(t.id) && this.#seen.size > 0 && !this.#summarised) continue;
        const verdict = classifyCheckRun(output, t.name, {
          ...facts,
          stdout: this.#all.join('\n'),
        });
        out.push({ kind: 'finished', testId: t.id, verdict });
      }
      return out;
    }
    const current = this.#current;
    if (current) {
      const text = this.#text;
      const verdict = classifyCheckRun(parseCheckOutput(text), current.name, {
        ...facts,
        stdout: text,
        stderr: this.#stderr,
      });
      out.push({ kind: 'finished', testId: current.id, verdict, ...seconds(text, current.name) });
      this.#done.add(current.id);
      this.#current = undefined;
    }
    // Unseen tests: errors when nothing ran or check summed up without them, else unrun.
    if (this.#seen.size === 0 || this.#summarised) {
      for (const t of tests) {
        if (this.#done.has(t.id)) continue;
        const verdict = classifyCheckRun(parseCheckOutput(''), t.name, facts);
        out.push({ kind: 'finished', testId: t.id, verdict });
      }
    }
    return out;
  }

  #line(line: string, out: Attribution[]): void {
    this.#all.push(line);
    this.#start(line, true, out);
    const clean = line.endsWith('\r') ? line.slice(0, -1) : line;
    const boundary = HEADER.test(clean) || SUMMARY.test(clean) || /^={5,}\s*$/.test(clean);
    if (boundary) {
      if (/^SECTION\s+-- /.test(clean) && !this.#sectioned) this.#deferred = true;
      if (SUMMARY.test(clean)) this.#summarised = true;
      this.#finish(out);
      if (HEADER.test(clean)) {
        if (!this.#inHeader) this.#preamble = '';
        this.#inHeader = true;
        this.#preamble += `${line}\n`;
      }
      return;
    }
    const text = `${line}\n`;
    if (this.#current) {
      this.#text += text;
      out.push({
        kind: 'output',
        testId: this.#current.id,
        stream: 'stdout',
        chunk: Buffer.from(text),
      });
    } else if (!this.#summarised || this.#deferred) {
      this.#preamble += text;
    }
  }

  /** A line (or the partial line) that starts with a batch test's name starts that test. */
  #start(line: string, complete: boolean, out: Attribution[]): void {
    if (this.#startSeen) return;
    const name = NAME.exec(line)?.[1] ?? (complete ? line.trim() : undefined);
    const test = name === undefined ? undefined : this.#byName.get(name);
    if (!test) return;
    this.#startSeen = true;
    this.#inHeader = false;
    if (this.#current?.id === test.id) return;
    this.#finish(out);
    this.#current = test;
    this.#text = this.#preamble;
    this.#stderr = '';
    this.#summarised = false;
    if (this.#seen.has(test.id)) return;
    this.#seen.add(test.id);
    out.push({ kind: 'started', testId: test.id });
    if (this.#preamble !== '') {
      const chunk = Buffer.from(this.#preamble);
      out.push({ kind: 'output', testId: test.id, stream: 'stdout', chunk });
    }
  }

  /** The current test's line is complete: its verdict (unless results wait for the end). */
  #finish(out: Attribution[]): void {
    const current = this.#current;
    this.#current = undefined;
    if (!current) return;
    if (this.#deferred || this.#done.has(current.id)) return;
    const block = parseCheckOutput(this.#text).tests.find((b) => b.name === current.name);
    const verdict = block
      ? blockVerdict(block)
      : { status: 'error' as const, summary: 'no result' };
    out.push({
      kind: 'finished',
      testId: current.id,
      verdict,
      ...seconds(this.#text, current.name),
    });
    this.#done.add(current.id);
  }
}

/** `{ durationMs }` from check's own measure of a pass (` 4s`), when it printed one. */
function seconds(text: string, name: string): { durationMs?: number } {
  const block = parseCheckOutput(text).tests.find((b) => b.name === name);
  const pass = block?.markers.find((m) => m.kind === 'pass');
  return pass?.seconds === undefined ? {} : { durationMs: pass.seconds * 1000 };
}
