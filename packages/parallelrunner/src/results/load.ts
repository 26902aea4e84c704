import { readFile, readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { compareIds as byId } from '../schedule/schedule.js';
import type { FinalTestResult, TestResult } from '../test.js';
import type { ResultsLayout } from './layout.js';
import {
  type RunManifest,
  type StoredSupervisor,
  finalResultsFromAttempts,
  readManifest,
} from './manifest.js';
import { assertSafeSegment, isSafe } from './names.js';
import { readTestResult, tryParse } from './parse.js';
import type { ResolvedSource } from './sources.js';
import { testIdFromPath, testPath } from './test-path.js';

/** The final results of one run or recording, as read back from a results directory. */
export interface LoadedRun {
  /** What was loaded: a run id or a recording label. */
  readonly source: { readonly kind: 'run' | 'recording'; readonly name: string };
  /** Id of the run (for a recording: of the run it was made from). */
  readonly runId: string;
  /** `null` when the manifest was unreadable. */
  readonly startedAt: number | null;
  /** `null` when the run did not finish (or the manifest was unreadable). */
  readonly finishedAt: number | null;
  /** The run was cancelled (`false` when the manifest was unreadable). */
  readonly canceled: boolean;
  /** One final result per test, sorted by id; `outputDir` points into this results directory. */
  readonly results: readonly FinalTestResult[];
  /** Ids of tests that never finished, sorted. */
  readonly unfinished: readonly string[];
  /** The run's supervisors as recorded in its manifest (empty when unreadable). */
  readonly supervisors: readonly StoredSupervisor[];
  /** The command line stored in the manifest (empty when unknown). */
  readonly commandLine: readonly string[];
  /** Versions and other facts stored in the manifest (empty when unknown). */
  readonly meta: Readonly<Record<string, unknown>>;
  /** Problems found while loading (corrupt or missing files); loading never throws for them. */
  readonly warnings: readonly string[];
}

async function readJsonFile(path: string): Promise<{ value?: unknown; error?: string }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { error: code === 'ENOENT' ? 'missing' : `unreadable (${String(error)})` };
  }
  try {
    return { value: JSON.parse(text) };
  } catch {
    return { error: 'not valid JSON' };
  }
}

async function forEachLimit<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++];
      if (item !== undefined) await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** Find `result.json` files under a recording whose manifest is unusable. */
async function scanRecording(dir: string, warnings: string[]): Promise<FinalTestResult[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  const found: FinalTestResult[] = [];
  for (const entry of entries) {
    if (!entry.isFile() || entry.name !== 'result.json') continue;
    const path0 = relative(dir, entry.parentPath).split(sep).join('/');
    const path = join(entry.parentPath, entry.name);
    const { value, error } = await readJsonFile(path);
    const parsed = error === undefined ? tryParse(() => readTestResult(value, path)) : undefined;
    if (!parsed?.ok) {
      warnings.push(parsed && !parsed.ok ? parsed.error : `${path}: ${error}`);
      continue;
    }
    found.push({
      ...parsed.value,
      testId: parsed.value.testId || (testIdFromPath(path0) ?? path0),
      attempts: [parsed.value],
      retries: 0,
      reschedules: 0,
      flaky: false,
    });
  }
  return found;
}

/**
 * Load the final results of a resolved source. Corrupt or partial data (an unreadable
 * manifest, a run that never finished, a missing or corrupt `result.json`, an unsafe test id)
 * becomes a warning in the returned data instead of an error.
 */
export async function loadRun(layout: ResultsLayout, source: ResolvedSource): Promise<LoadedRun> {
  const warnings: string[] = [];
  const name = source.kind === 'run' ? source.runId : source.label;
  const read = await readJsonFile(source.manifestPath);
  const parsed =
    read.error === undefined
      ? tryParse(() => readManifest(read.value, source.manifestPath))
      : undefined;
  let manifest: RunManifest | undefined;
  if (parsed?.ok) manifest = parsed.value;
  else {
    warnings.push(
      parsed && !parsed.ok ? parsed.error : `${source.manifestPath}: ${read.error ?? 'unreadable'}`,
    );
  }

  let results: FinalTestResult[];
  if (manifest === undefined) {
    results = source.kind === 'recording' ? await scanRecording(source.dir, warnings) : [];
  } else if (manifest.finishedAt === null) {
    warnings.push(`run ${manifest.runId} did not finish; results are those recorded so far`);
    results = finalResultsFromAttempts(manifest.attempts);
  } else {
    results = [...manifest.results];
  }

  const seen = new Set<string>();
  const located: FinalTestResult[] = [];
  for (const r of results) {
    if (r.testId.length === 0 || !isSafe(() => assertSafeSegment('attempt id', r.attemptId))) {
      warnings.push(`${name}: skipped a result with an unsafe id ${JSON.stringify(r.testId)}`);
      continue;
    }
    if (seen.has(r.testId)) {
      warnings.push(`${name}: ${r.testId} appears twice; keeping the first`);
      continue;
    }
    seen.add(r.testId);
    const relocate = (a: TestResult): TestResult =>
      a.testId.length > 0 && isSafe(() => assertSafeSegment('attempt id', a.attemptId))
        ? { ...a, outputDir: layout.attemptDir(a.testId, a.attemptId) }
        : a;
    const outputDir =
      source.kind === 'recording'
        ? join(source.dir, testPath(r.testId))
        : layout.attemptDir(r.testId, r.attemptId);
    located.push({ ...r, outputDir, attempts: r.attempts.map(relocate) });
  }
  located.sort((a, b) => byId(a.testId, b.testId));

  const folderWarnings = new Map<string, string>();
  await forEachLimit(located, 32, async (r) => {
    const path = join(r.outputDir ?? '', 'result.json');
    const { value, error } = await readJsonFile(path);
    const bad = error ?? (tryParse(() => readTestResult(value, path)).ok ? undefined : 'corrupt');
    if (bad !== undefined)
      folderWarnings.set(r.testId, `${r.testId}: result folder ${path} ${bad}`);
  });
  for (const r of located) {
    const w = folderWarnings.get(r.testId);
    if (w !== undefined) warnings.push(w);
  }

  return {
    source: { kind: source.kind, name },
    runId: manifest?.runId ?? name,
    startedAt: manifest?.startedAt ?? null,
    finishedAt: manifest?.finishedAt ?? null,
    canceled: manifest?.canceled ?? false,
    results: located,
    unfinished: [...(manifest?.unfinished ?? [])].sort(byId),
    supervisors: manifest?.supervisors ?? [],
    commandLine: manifest?.commandLine ?? [],
    meta: manifest?.meta ?? {},
    warnings,
  };
}
