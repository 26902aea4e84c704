import type { Attribution, BatchDispatch, Batcher } from '../batch/batcher.js';
import type { Test, TestStatus } from '../test.js';
import type { FakeBehavior, FakeChunk } from './script.js';
import { pick } from './script.js';

/** How one test behaves in a fake batch (and when it runs alone as a `fakeTest`). */
export interface FakeMember {
  /** Milliseconds it takes. Default `0`. */
  readonly durationMs?: number;
  /** Its verdict. Default `pass`. Alone, `fail` and `error` exit 1, `skip` exits 77. */
  readonly status?: TestStatus;
  /** Output it writes when it starts. */
  readonly output?: string;
  /** It crashes the supervisor after `durationMs`. */
  readonly crash?: boolean;
  /** Evidence attached to the crash. */
  readonly evidence?: string;
  /** It never ends (until killed). */
  readonly hang?: boolean;
}

/** The command prefix of a `fakeBatcher` dispatch: `fake-batch t/0 t/1 ...`. */
export const FAKE_BATCH_COMMAND = 'fake-batch';

const START = /^start (\S+)$/;
const RESULT = /^result (\S+) (pass|fail|skip|error) (\d+)(?: (.*))?$/;

/**
 * A `Batcher` for fakes: its command is `fake-batch <id>...`, whose output (see
 * `fakeBatchExec`) has a `start <id>` line when a test starts and a
 * `result <id> <status> <ms> [summary]` line when it ends; other lines are the running test's
 * output. `key` decides which tests may share a batch (default: all).
 */
export function fakeBatcher(key: (test: Test) => string | undefined = () => 'fake'): Batcher {
  return {
    key,
    dispatch(tests: readonly Test[]): BatchDispatch {
      let current: string | undefined;
      let partial = '';
      const line = (text: string): Attribution[] => {
        const start = START.exec(text);
        if (start?.[1] !== undefined) {
          current = start[1];
          return [{ kind: 'started', testId: current }];
        }
        const result = RESULT.exec(text);
        if (result?.[1] !== undefined) {
          const [, testId, status, ms, summary] = result;
          if (testId === current) current = undefined;
          const verdict = { status: status as TestStatus, summary: summary ?? '' };
          return [{ kind: 'finished', testId, verdict, durationMs: Number(ms) }];
        }
        if (current === undefined) return [];
        const chunk = Buffer.from(`${text}\n`);
        return [{ kind: 'output', testId: current, stream: 'stdout', chunk }];
      };
      return {
        command: { command: [FAKE_BATCH_COMMAND, ...tests.map((t) => t.id)].join(' ') },
        write(stream, chunk) {
          if (stream === 'stderr') {
            return current === undefined
              ? []
              : [{ kind: 'output', testId: current, stream, chunk }];
          }
          const lines = (partial + chunk.toString('utf8')).split('\n');
          partial = lines.pop() ?? '';
          return lines.flatMap(line);
        },
        end() {
          return partial === '' ? [] : line(partial);
        },
      };
    },
  };
}

const EXIT_CODES: Readonly<Record<TestStatus, number>> = { pass: 0, skip: 77, fail: 1, error: 1 };

/**
 * A `FakeScript.onExec` playing `members`: a `fake-batch` command runs its tests one after the
 * other (printing what `fakeBatcher` reads), a command that is a member's id runs it alone (as
 * a `fakeTest`). A list gives a test's behaviour on its 1st, 2nd, ... run anywhere (the last
 * entry repeats); tests not named pass at once. `startupMs`: time before a batch's first test.
 */
export function fakeBatchExec(
  members: Readonly<Record<string, FakeMember | readonly FakeMember[]>>,
  startupMs = 0,
): (command: string) => FakeBehavior | undefined {
  const runs = new Map<string, number>();
  const next = (id: string): FakeMember => {
    const n = runs.get(id) ?? 0;
    runs.set(id, n + 1);
    return pick(members[id], n) ?? {};
  };
  return (command) => {
    const [head, ...ids] = command.split(' ');
    if (head !== FAKE_BATCH_COMMAND) {
      if (!(command in members)) return undefined;
      const m = next(command);
      const exitCode = EXIT_CODES[m.status ?? 'pass'];
      return { ...playAlone(m), exitCode, ...(m.output ? { stdout: m.output } : {}) };
    }
    const stream: FakeChunk[] = [];
    let at = startupMs;
    for (const id of ids) {
      const m = next(id);
      stream.push({ atMs: at, stdout: `start ${id}\n${m.output ?? ''}` });
      const ms = m.durationMs ?? 0;
      if (m.hang) return { stream, hang: true };
      // At least 1 ms: a crash after its own start line (setTimeout waits 1 ms at least).
      if (m.crash) return { stream, ...playAlone(m), durationMs: Math.max(1, at + ms) };
      at += ms;
      stream.push({ atMs: at, stdout: `result ${id} ${m.status ?? 'pass'} ${ms}\n` });
    }
    return { stream, durationMs: at + 1 };
  };
}

function playAlone(m: FakeMember): FakeBehavior {
  return {
    ...(m.durationMs !== undefined ? { durationMs: m.durationMs } : {}),
    ...(m.crash ? { crash: true } : {}),
    ...(m.evidence !== undefined ? { evidence: m.evidence } : {}),
    ...(m.hang ? { hang: true } : {}),
  };
}
