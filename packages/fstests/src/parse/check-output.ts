/**
 * A pure parser of what fstests' `./check` prints: section headers, one block per test (the
 * result line plus what follows it until the next test, header or summary), and summaries.
 * It does not decide pass or fail: see `classify.ts`.
 */

/** What a marker on a test's lines says. */
export type CheckMarkerKind =
  | 'pass'
  | 'not-run'
  | 'expunged'
  | 'failed-status'
  | 'output-mismatch'
  | 'dmesg'
  | 'fs-inconsistent'
  | 'kmemleak'
  | 'dumped-core'
  | 'no-qualified-output';

/** One marker found in a test's block. */
export interface CheckMarker {
  /** What the marker says (pass, not run, one of the failure kinds, ...). */
  readonly kind: CheckMarkerKind;
  /** The line it was found on, without the test name and timing columns, trimmed. */
  readonly line: string;
  /** `[failed, exit status N]`: N. */
  readonly exitStatus?: number;
  /** `[not run] reason`: the reason. */
  readonly reason?: string;
  /** pass: the measured seconds. */
  readonly seconds?: number;
}

/** Everything printed for one test in one section. */
export interface CheckTestBlock {
  /** `generic/001`. */
  readonly name: string;
  /** The `SECTION -- name` this block follows, if any. */
  readonly section: string | undefined;
  /** Seconds of the previous run from `check.time` (` 5s ... `), when printed. */
  readonly previousSeconds: number | undefined;
  /** The markers found in the block, in the order they appear. */
  readonly markers: readonly CheckMarker[];
  /** The diff lines after an output mismatch, without their four-space indent. */
  readonly diff: readonly string[];
  /** The lines of a `HINT:` block, trimmed. */
  readonly hints: readonly string[];
  /** Every line of the block, as printed. */
  readonly lines: readonly string[];
}

/** The summary `./check` prints at the end of a section. */
export interface CheckSummary {
  /** The section it summarises; undefined when no section header was printed before it. */
  readonly section: string | undefined;
  /** Test names on the `Ran:` line. */
  readonly ran: readonly string[];
  /** Test names on the `Not run:` line. */
  readonly notRun: readonly string[];
  /** Test names on the `Failures:` line. */
  readonly failures: readonly string[];
  /** `Failed N of M tests`. */
  readonly failed?: { readonly count: number; readonly total: number };
  /** `Passed all M tests`. */
  readonly passedAll?: number;
}

/** The parsed output of one `./check` invocation. */
export interface CheckOutput {
  /** One block per test result line, in output order. */
  readonly tests: readonly CheckTestBlock[];
  /** One summary per section summary printed, in output order. */
  readonly summaries: readonly CheckSummary[];
  /** Section names in the order their headers appeared. */
  readonly sections: readonly string[];
  /** Header values (`FSTYP`, `PLATFORM`, ...) as last printed. */
  readonly headers: Readonly<Record<string, string>>;
  /** `Interrupted!` was printed. */
  readonly interrupted: boolean;
}

const TEST_LINE = /^([A-Za-z0-9_-]+\/[0-9]{3}-?[A-Za-z0-9-]*)(?=\s|$)(.*)$/;
const HEADER = /^([A-Z][A-Z_]*)\s+-- ?(.*)$/;
const PREVIOUS = /^\s*(\d+)s \.\.\.\s?/;
const PASS = /^\s*(\d+)s\s*$/;

const FAILURE_MARKERS: readonly { kind: CheckMarkerKind; re: RegExp }[] = [
  { kind: 'failed-status', re: /\[failed, exit status (-?\d+)\]/ },
  { kind: 'output-mismatch', re: /- output mismatch \(see [^)]*\)/ },
  { kind: 'dmesg', re: /_check_dmesg: something found in dmesg/ },
  { kind: 'fs-inconsistent', re: /_check_[A-Za-z0-9]+_filesystem: .*inconsistent/ },
  { kind: 'kmemleak', re: /_check_kmemleak: something found in kmemleak/ },
  { kind: 'dumped-core', re: /\[dumped core\]/ },
  { kind: 'no-qualified-output', re: /no qualified output/ },
];

interface MutableBlock {
  name: string;
  section: string | undefined;
  previousSeconds: number | undefined;
  markers: CheckMarker[];
  diff: string[];
  hints: string[];
  lines: string[];
  mode: 'body' | 'diff' | 'hint';
}

/** Parse the stdout of `./check`. Never throws; unknown lines are ignored. */
export function parseCheckOutput(stdout: string): CheckOutput {
  const tests: CheckTestBlock[] = [];
  const summaries: CheckSummary[] = [];
  const sections: string[] = [];
  const headers: Record<string, string> = {};
  let section: string | undefined;
  let summary: Mutable<CheckSummary> | undefined;
  let block: MutableBlock | undefined;
  let interrupted = false;

  const closeBlock = () => {
    if (block) tests.push(freeze(block));
    block = undefined;
  };
  const currentSummary = (): Mutable<CheckSummary> => {
    if (!summary) {
      summary = { section, ran: [], notRun: [], failures: [] };
      summaries.push(summary);
    }
    return summary;
  };

  for (const raw of stdout.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const header = HEADER.exec(line);
    const test = TEST_LINE.exec(line);
    // `Interrupted!` may follow a test name that is waiting for its result on the same line.
    if (line.includes('Interrupted!')) interrupted = true;
    if (header) {
      closeBlock();
      const [, key = '', value = ''] = header;
      headers[key] = value.trim();
      if (key === 'SECTION') {
        section = value.trim();
        if (!sections.includes(section)) sections.push(section);
        summary = undefined;
      }
    } else if (test) {
      closeBlock();
      summary = undefined;
      block = startBlock(test[1] ?? '', test[2] ?? '', section, line);
    } else if (line.startsWith('Interrupted!')) {
      closeBlock();
    } else if (/^(Ran|Not run|Failures):/.test(line)) {
      closeBlock();
      const [label = '', rest = ''] = splitOnce(line, ':');
      const words = rest.split(/\s+/).filter((w) => w !== '');
      const s = currentSummary();
      if (label === 'Ran') s.ran = words;
      else if (label === 'Not run') s.notRun = words;
      else s.failures = words;
    } else if (/^Failed \d+ of \d+ tests/.test(line)) {
      closeBlock();
      const [, count = '0', total = '0'] = /^Failed (\d+) of (\d+)/.exec(line) ?? [];
      currentSummary().failed = { count: Number(count), total: Number(total) };
    } else if (/^Passed all \d+ tests/.test(line)) {
      closeBlock();
      currentSummary().passedAll = Number(/\d+/.exec(line)?.[0] ?? '0');
    } else if (/^={5,}\s*$/.test(line)) {
      closeBlock();
    } else if (block) {
      continueBlock(block, line);
    }
  }
  closeBlock();
  return { tests, summaries, sections, headers, interrupted };
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function startBlock(name: string, rest: string, section: string | undefined, line: string) {
  const previous = PREVIOUS.exec(rest);
  const block: MutableBlock = {
    name,
    section,
    previousSeconds: previous ? Number(previous[1]) : undefined,
    markers: [],
    diff: [],
    hints: [],
    lines: [line],
    mode: 'body',
  };
  const body = previous ? rest.slice(previous[0].length) : rest;
  const pass = PASS.exec(body);
  if (pass) {
    block.markers.push({ kind: 'pass', line: body.trim(), seconds: Number(pass[1]) });
  } else {
    scanMarkers(block, body.trim());
  }
  return block;
}

function continueBlock(block: MutableBlock, line: string): void {
  block.lines.push(line);
  if (line.trim() === '') {
    if (block.mode === 'hint') block.mode = 'body';
    return;
  }
  if (line.startsWith('HINT:')) {
    block.mode = 'hint';
    block.hints.push(line.trim());
  } else if (block.mode === 'hint' && /^\s/.test(line)) {
    block.hints.push(line.trim());
  } else if (block.mode === 'diff' && (line.startsWith('    ') || isDiffTrailer(line))) {
    block.diff.push(line.startsWith('    ') ? line.slice(4) : line);
  } else {
    block.mode = 'body';
    scanMarkers(block, line.trim());
  }
}

function isDiffTrailer(line: string): boolean {
  return line === '...' || line.startsWith("(Run '");
}

function scanMarkers(block: MutableBlock, text: string): void {
  if (text === '') return;
  const notRun = /\[not run\]\s*(.*)$/.exec(text);
  if (notRun) block.markers.push({ kind: 'not-run', line: text, reason: (notRun[1] ?? '').trim() });
  if (text.includes('[expunged]')) block.markers.push({ kind: 'expunged', line: text });
  for (const { kind, re } of FAILURE_MARKERS) {
    const match = re.exec(text);
    if (!match) continue;
    if (kind === 'failed-status') {
      block.markers.push({ kind, line: text, exitStatus: Number(match[1]) });
    } else block.markers.push({ kind, line: text });
    if (kind === 'output-mismatch') block.mode = 'diff';
  }
}

function freeze(block: MutableBlock): CheckTestBlock {
  const { mode: _mode, ...rest } = block;
  return rest;
}

function splitOnce(text: string, separator: string): [string, string] {
  const index = text.indexOf(separator);
  return index === -1 ? [text, ''] : [text.slice(0, index), text.slice(index + 1)];
}

/** Marker kinds that make a test fail. */
export const FAILURE_KINDS: ReadonlySet<CheckMarkerKind> = new Set(
  FAILURE_MARKERS.map((m) => m.kind),
);
