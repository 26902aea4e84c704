/** Several `FSTest`s in one `./check` invocation: the batcher the runner uses for fstests. */
import {
  type BatchContext,
  type BatchDispatch,
  type Batcher,
  type Test,
  shellQuote,
} from '@ff/parallelrunner';
import { FSTest } from './fstest.js';
import { CheckStream } from './parse/check-stream.js';

const dirKeys = new WeakMap<(supervisor: string) => string, number>();
let nextDirKey = 1;

/** Tests share a `./check` when they run in the same section(s) of the same fstests tree. */
function keyOf(test: FSTest): string {
  const dir = test.fstestsDir;
  let dirKey: string | number | undefined = typeof dir === 'string' ? dir : dirKeys.get(dir);
  if (dirKey === undefined && typeof dir !== 'string') {
    dirKey = nextDirKey++;
    dirKeys.set(dir, dirKey);
  }
  return JSON.stringify([test.section ?? null, test.excludeSections, dirKey]);
}

function byName(a: FSTest, b: FSTest): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/**
 * Runs several `FSTest`s of one section as `./check [-s S] [-S X]... NAME...`: check's start-up
 * (checking the test device) is paid once. Each test's result comes from its own line as
 * `./check` prints it (complete when the next test's name or the summary appears), with
 * check's own seconds as its duration; its artifacts come from the results directory as for a
 * test run alone. Two iterations (`-i`) of one test never share a command.
 */
export class CheckBatcher implements Batcher {
  /** A key per (section, `-S` sections, fstests directory); other tests run alone. */
  key(test: Test): string | undefined {
    return test instanceof FSTest ? keyOf(test) : undefined;
  }

  /** A test joins unless a test of the same name (another iteration) is in the batch. */
  canJoin(batch: readonly Test[], test: Test): boolean {
    if (!(test instanceof FSTest)) return false;
    return !batch.some((t) => t instanceof FSTest && t.name === test.name);
  }

  /** `cd <fstests> && ./check [-s S] [-S X]... NAME...`, every argument quoted. */
  dispatch(tests: readonly Test[], ctx: BatchContext): BatchDispatch {
    const fs = tests.filter((t): t is FSTest => t instanceof FSTest);
    const [first] = fs;
    if (!first || fs.length !== tests.length) {
      throw new TypeError('CheckBatcher.dispatch: every test of a batch must be an FSTest');
    }
    // ./check sorts the names it is given: this is the order it runs them in.
    const order = [...fs].sort(byName);
    const args = first.checkArgs().slice(0, -1);
    args.push(...order.map((t) => t.name));
    const command = `cd ${shellQuote(first.dirOn(ctx.supervisor))} && ./check ${args.map(shellQuote).join(' ')}`;
    const members = fs.map((t) => ({ id: t.id, name: t.name }));
    const stream = new CheckStream(members, first.section !== undefined);
    return {
      command: { command },
      order: order.map((t) => t.id),
      write: (which, chunk) => stream.write(which, chunk),
      end: (run) => stream.end(run, members),
    };
  }
}
