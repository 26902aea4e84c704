import type { FinalTestResult } from '../test.js';
import type { RunManifest } from './manifest.js';

function ofTotal(results: number, total: number): string {
  return `${results} of ${total} ${total === 1 ? 'test has' : 'tests have'} a result`;
}

/**
 * Why a run's results are incomplete, or `null` when the run finished every test it selected:
 * it did not finish (the process died), was interrupted, or ended with tests not run. A test
 * canceled by the interruption has no result.
 */
export function runPartial(
  manifest: RunManifest,
  finals: readonly Pick<FinalTestResult, 'outcome'>[],
): string | null {
  const results = finals.filter((r) => r.outcome !== 'canceled').length;
  const total = manifest.selection.testIds.length;
  const id = manifest.runId;
  if (manifest.finishedAt === null) return `run ${id} did not finish (${ofTotal(results, total)})`;
  if (manifest.canceled) return `run ${id} was interrupted (${ofTotal(results, total)})`;
  if (manifest.unfinished.length > 0) {
    return `run ${id} ended with ${manifest.unfinished.length} of ${total} tests not run`;
  }
  return null;
}

function listRuns(ids: readonly string[]): string {
  const shown = ids.slice(0, 3).join(', ');
  return ids.length > 3 ? `${shown} and ${ids.length - 3} more` : shown;
}

/**
 * What the latest results are made of, or `null` when they are exactly the newest run's and
 * that run is complete. `runIds` holds, per result, the run it came from (`undefined` when
 * unknown); `newest` is the newest run's manifest, if readable.
 */
export function latestPartial(
  newestRunId: string,
  newest: RunManifest | undefined,
  runIds: readonly (string | undefined)[],
): string | null {
  const fromNewest = runIds.filter((r) => r === newestRunId).length;
  const notes: string[] = [];
  const own = newest ? runPartial(newest, newest.results) : null;
  if (own !== null) notes.push(own);
  const older = runIds.length - fromNewest;
  if (older > 0) {
    const earlier = [
      ...new Set(runIds.filter((r): r is string => r !== undefined && r !== newestRunId)),
    ]
      .sort()
      .reverse();
    const which = earlier.length > 0 ? ` (${listRuns(earlier)})` : '';
    notes.push(`${older} of ${runIds.length} results come from earlier runs${which}`);
  }
  return notes.length === 0 ? null : notes.join('; ');
}
