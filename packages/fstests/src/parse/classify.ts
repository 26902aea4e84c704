/**
 * Turning a parsed `./check` output plus how the process ended into a verdict for one test.
 * The markers and the exit status are read together: `Interrupted!` may come with status 0,
 * and a missing result line is an error whatever the status says.
 */
import type { CompletedRun, Verdict } from '@ff/parallelrunner';
import { type CheckOutput, type CheckTestBlock, FAILURE_KINDS } from './check-output.js';

/** The parts of a finished run the classification needs. */
export type RunFacts = Pick<
  CompletedRun,
  'exitCode' | 'exitSignal' | 'timedOut' | 'canceled' | 'stderr' | 'stdout'
>;

/** Classify test `name` (`generic/001`) from `output` (parsed from `run.stdout`) and `run`. */
export function classifyCheckRun(output: CheckOutput, name: string, run: RunFacts): Verdict {
  if (run.canceled) return { status: 'error', summary: 'canceled' };
  if (run.timedOut) return { status: 'error', summary: `timed out${lastLineNote(run)}` };
  const blocks = output.tests.filter((b) => b.name === name);
  const listedAsFailure = output.summaries.some((s) => s.failures.includes(name));
  const verdicts = blocks.map(blockVerdict);
  const failure = verdicts.find((v) => v.status === 'fail');
  if (failure) return failure;
  if (listedAsFailure) {
    return { status: 'fail', summary: `listed in Failures by ./check${exitNote(run)}` };
  }
  if (output.interrupted) return { status: 'error', summary: `interrupted${exitNote(run)}` };
  if (blocks.length === 0) {
    return { status: 'error', summary: `no result line for ${name}${endNote(run)}` };
  }
  if (verdicts.some((v) => v.status === 'error')) {
    return { status: 'error', summary: `incomplete result line for ${name}${endNote(run)}` };
  }
  if (run.exitSignal !== null || (run.exitCode !== null && run.exitCode !== 0)) {
    return { status: 'error', summary: `./check ended abnormally${endNote(run)}` };
  }
  // Every block is pass or skip here: a pass in any section makes the test pass.
  const pass = verdicts.find((v) => v.status === 'pass');
  return pass ?? { status: 'skip', summary: verdicts[0]?.summary ?? 'not run' };
}

/** The verdict of one block: fail, skip, pass, or error when it has no result yet. */
export function blockVerdict(block: CheckTestBlock): Verdict {
  const failure = block.markers.find((m) => FAILURE_KINDS.has(m.kind));
  if (failure) return { status: 'fail', summary: failure.line };
  const notRun = block.markers.find((m) => m.kind === 'not-run');
  if (notRun) return { status: 'skip', summary: notRun.reason || 'not run' };
  if (block.markers.some((m) => m.kind === 'expunged')) {
    return { status: 'skip', summary: 'expunged' };
  }
  const pass = block.markers.find((m) => m.kind === 'pass');
  // A pass has nothing to explain: its time is the attempt's duration, not repeated here.
  if (pass) return { status: 'pass', summary: '' };
  return { status: 'error', summary: 'no result' };
}

function exitNote(run: RunFacts): string {
  if (run.exitSignal !== null) return ` (./check killed by ${run.exitSignal})`;
  if (run.exitCode === null) return '';
  return ` (./check exit status ${run.exitCode})`;
}

function endNote(run: RunFacts): string {
  return `${exitNote(run)}${lastLineNote(run)}`;
}

function lastLineNote(run: RunFacts): string {
  const last = lastLine(run.stderr) ?? lastLine(run.stdout);
  return last === undefined ? '' : `: ${last}`;
}

function lastLine(text: string): string | undefined {
  const lines = text.split('\n').map((l) => l.trim());
  return lines.filter((l) => l !== '').at(-1);
}
