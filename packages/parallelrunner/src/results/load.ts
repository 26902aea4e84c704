import { readFile, readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { compareIds as byId } from '../schedule/schedule.js';
import type { FinalTestResult, TestResult } from '../test.js';
import { readLatest } from './latest.js';
import type { ResultsLayout } from './layout.js';
import { type RunManifest, type StoredSupervisor, readManifest } from './manifest.js';
import { assertSafeSegment, isSafe } from './names.js';
import { readTestResult, tryParse } from './parse.js';
import { latestPartial, runPartial } from './partial.js';
import type { ResolvedSource } from './sources.js';
import { testIdFromPath, testPath } from './test-path.js';

/** The final results of a run, a recording or `latest`, as read back from a results directory. */
export interface LoadedRun {
  /** What was loaded: a run id, a recording label, or `latest` (name `latest`). */
  readonly source: { readonly kind: 'run' | 'recording' | 'latest'; readonly name: string };
  /** Id of the run (for a recording: of the run it was made from; for `latest`: the newest run). */
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
  /**
   * Why these are not the complete results of one run, for humans; `null` when they are. A run
   * that did not finish, was interrupted or left tests unrun; for `latest`, also how many results
   * come from runs before the newest. A recording keeps what its source was.
   */
  readonly partial: string | null;
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

function readManifestFile(
  path: string,
  read: { value?: unknown; error?: string },
  warnings: string[],
): RunManifest | undefined {
  const parsed =
    read.error === undefined ? tryParse(() => readManifest(read.value, path)) : undefined;
  if (parsed?.ok) return parsed.value;
  warnings.push(parsed && !parsed.ok ? parsed.error : `${path}: ${read.error ?? 'unreadable'}`);
  return undefined;
}

/** Drop results with unsafe or repeated ids; point every `outputDir` into this directory. */
function locate(
  layout: ResultsLayout,
  source: ResolvedSource,
  name: string,
  results: readonly FinalTestResult[],
  warnings: string[],
): FinalTestResult[] {
  const seen = new Set<string>();
  const located: FinalTestResult[] = [];
  const safe = (r: TestResult) =>
    r.testId.length > 0 && isSafe(() => assertSafeSegment('attempt id', r.attemptId));
  for (const r of results) {
    if (!safe(r)) {
      warnings.push(`${name}: skipped a result with an unsafe id ${JSON.stringify(r.testId)}`);
      continue;
    }
    if (seen.has(r.testId)) {
      warnings.push(`${name}: ${r.testId} appears twice; keeping the first`);
      continue;
    }
    seen.add(r.testId);
    const relocate = (a: TestResult): TestResult =>
      safe(a) ? { ...a, outputDir: layout.attemptDir(a.testId, a.attemptId) } : a;
    const outputDir =
      source.kind === 'recording'
        ? join(source.dir, testPath(r.testId))
        : layout.attemptDir(r.testId, r.attemptId);
    located.push({ ...r, outputDir, attempts: r.attempts.map(relocate) });
  }
  return located.sort((a, b) => byId(a.testId, b.testId));
}

/** Warn about results whose folder has no readable `result.json`. */
async function checkFolders(located: readonly FinalTestResult[], warnings: string[]) {
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
}

/**
 * Load the final results of a resolved source. Corrupt or partial data (an unreadable
 * manifest, a run that never finished, a missing or corrupt `result.json`, an unsafe test id)
 * becomes a warning or `partial` in the returned data instead of an error. A run that did not
 * finish has the final results it recorded so far.
 */
export async function loadRun(layout: ResultsLayout, source: ResolvedSource): Promise<LoadedRun> {
  const warnings: string[] = [];
  const name =
    source.kind === 'recording' ? source.label : source.kind === 'latest' ? 'latest' : source.runId;
  const read = await readJsonFile(source.manifestPath);
  const manifest = readManifestFile(source.manifestPath, read, warnings);

  let results: FinalTestResult[];
  let partial: string | null = null;
  if (source.kind === 'latest') {
    const entries = await readLatest(layout, warnings);
    results = entries.map((e) => e.result);
    partial = latestPartial(
      source.runId,
      manifest,
      entries.map((e) => e.runId),
    );
  } else if (manifest === undefined) {
    results = source.kind === 'recording' ? await scanRecording(source.dir, warnings) : [];
  } else {
    results = [...manifest.results];
    partial = manifest.recording ? (manifest.partial ?? null) : runPartial(manifest, results);
  }
  const located = locate(layout, source, name, results, warnings);
  await checkFolders(located, warnings);
  const have = new Set(located.map((r) => r.testId));

  return {
    source: { kind: source.kind, name },
    runId: manifest?.runId ?? (source.kind === 'recording' ? name : source.runId),
    startedAt: manifest?.startedAt ?? null,
    finishedAt: manifest?.finishedAt ?? null,
    canceled: manifest?.canceled ?? false,
    results: located,
    unfinished: [...(manifest?.unfinished ?? [])].filter((id) => !have.has(id)).sort(byId),
    supervisors: manifest?.supervisors ?? [],
    commandLine: manifest?.commandLine ?? [],
    meta: manifest?.meta ?? {},
    warnings,
    partial,
  };
}
