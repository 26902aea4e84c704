import { mkdir, readFile, readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { FinalTestResult } from '../test.js';
import { symlinkAtomic, writeJsonAtomic } from './atomic.js';
import { FINAL_FILE, RESULTS_SCHEMA, type ResultsLayout } from './layout.js';
import { object, readFinalTestResult, readTestResult, schema, str, tryParse } from './parse.js';

/** A final result found through `latest/`, with the run it belongs to. */
export interface LatestEntry {
  /** The run that produced it; `undefined` for a link without a readable `final.json`. */
  readonly runId: string | undefined;
  readonly result: FinalTestResult;
}

/**
 * Make `latest/<test id>` point at the final attempt of `result`, after writing the final result
 * (with `runId`) as `final.json` into that attempt's directory. A canceled result never moves
 * the link: an interrupted run does not hide the result of an earlier one.
 * Returns `false` when nothing was linked.
 */
export async function linkLatest(
  layout: ResultsLayout,
  runId: string,
  result: FinalTestResult,
): Promise<boolean> {
  if (result.outcome === 'canceled' || result.outputDir === undefined) return false;
  const attemptDir = layout.attemptDir(result.testId, result.attemptId);
  await writeJsonAtomic(join(attemptDir, FINAL_FILE), { schema: RESULTS_SCHEMA, runId, result });
  const link = layout.latestLink(result.testId);
  await mkdir(dirname(link), { recursive: true });
  await symlinkAtomic(layout.latestTarget(result.testId, attemptDir), link);
  return true;
}

async function readJson(path: string): Promise<{ value?: unknown; error?: string }> {
  try {
    return { value: JSON.parse(await readFile(path, 'utf8')) };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { error: code === 'ENOENT' ? 'missing' : 'unreadable or not valid JSON' };
  }
}

function readFinalFile(value: unknown, where: string): LatestEntry {
  const o = object(value, where);
  schema(o, RESULTS_SCHEMA, where);
  return {
    runId: str(o, 'runId', where),
    result: readFinalTestResult(o.result, `${where}.result`),
  };
}

/** One entry of `latest/`: its `final.json`, else (an older layout) its `result.json` alone. */
async function readEntry(dir: string, warnings: string[]): Promise<LatestEntry | undefined> {
  const finalPath = join(dir, FINAL_FILE);
  const final = await readJson(finalPath);
  if (final.error === undefined) {
    const parsed = tryParse(() => readFinalFile(final.value, finalPath));
    if (parsed.ok) return parsed.value;
    warnings.push(parsed.error);
  }
  const resultPath = join(dir, 'result.json');
  const read = await readJson(resultPath);
  const parsed =
    read.error === undefined ? tryParse(() => readTestResult(read.value, resultPath)) : undefined;
  if (!parsed?.ok) {
    warnings.push(
      `${dir}: ${parsed && !parsed.ok ? parsed.error : `result.json ${read.error ?? 'unreadable'}`}`,
    );
    return undefined;
  }
  const r = parsed.value;
  return {
    runId: undefined,
    result: { ...r, attempts: [r], retries: 0, reschedules: 0, flaky: false },
  };
}

/** Every final result linked from `latest/`, in no particular order; problems become warnings. */
export async function readLatest(
  layout: ResultsLayout,
  warnings: string[],
): Promise<LatestEntry[]> {
  const entries = await readdir(layout.latestDir, { recursive: true, withFileTypes: true }).catch(
    () => [],
  );
  const found: LatestEntry[] = [];
  for (const entry of entries) {
    if (!entry.isSymbolicLink()) continue;
    const read = await readEntry(join(entry.parentPath, entry.name), warnings);
    if (read) found.push(read);
  }
  return found;
}
