import { readFile, readdir, stat } from 'node:fs/promises';
import { UnknownSourceError } from '../errors.js';
import type { ResultsLayout } from './layout.js';
import { assertSafeLabel, assertSafeSegment, isSafe } from './names.js';
import { isObject } from './parse.js';

/**
 * A SOURCE resolved to a run manifest, a recording, or `latest`: the newest final result of
 * every test (`latest/`), with the newest run's id and manifest.
 */
export type ResolvedSource =
  | { readonly kind: 'run'; readonly runId: string; readonly manifestPath: string }
  | { readonly kind: 'latest'; readonly runId: string; readonly manifestPath: string }
  | {
      readonly kind: 'recording';
      readonly label: string;
      readonly dir: string;
      readonly manifestPath: string;
    };

/** A recording, as listed (newest first by the time its manifest was written). */
export interface RecordingEntry {
  /** The recording's label. */
  readonly label: string;
  /** Modification time of its manifest (ms since the epoch); 0 when it has none. */
  readonly mtimeMs: number;
}

/** `true` when `path` exists (follows symlinks). */
export async function pathExists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

async function readJson(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Run ids that have a manifest in `runs/`, sorted. */
export async function listRuns(layout: ResultsLayout): Promise<string[]> {
  const names = await readdir(layout.runsDir).catch(() => [] as string[]);
  return names
    .filter((n) => n.endsWith('.json') && !n.startsWith('.'))
    .map((n) => n.slice(0, -'.json'.length))
    .sort();
}

/** Recordings that have a manifest, newest first (ties by label). */
export async function listRecordings(layout: ResultsLayout): Promise<RecordingEntry[]> {
  const names = await readdir(layout.recordingsDir).catch(() => [] as string[]);
  const entries: RecordingEntry[] = [];
  for (const label of names) {
    if (label.startsWith('.')) continue;
    const info = await stat(layout.recordingManifest(label)).catch(() => undefined);
    entries.push({ label, mtimeMs: info?.mtimeMs ?? 0 });
  }
  return entries.sort((a, b) => b.mtimeMs - a.mtimeMs || (a.label < b.label ? -1 : 1));
}

/**
 * The newest run: the one named by `latest-run.json`, else the manifest in `runs/` with the
 * latest start time. `undefined` when there is none.
 */
export async function latestRunId(layout: ResultsLayout): Promise<string | undefined> {
  const pointer = await readJson(layout.latestRun);
  if (isObject(pointer) && typeof pointer.runId === 'string') {
    const runId = pointer.runId;
    const safe = isSafe(() => assertSafeSegment('run id', runId));
    if (safe && (await pathExists(layout.manifest(runId)))) return runId;
  }
  let best: { runId: string; startedAt: number } | undefined;
  for (const runId of await listRuns(layout)) {
    const data = await readJson(layout.manifest(runId));
    const startedAt = isObject(data) && typeof data.startedAt === 'number' ? data.startedAt : 0;
    if (!best || startedAt > best.startedAt) best = { runId, startedAt };
  }
  return best?.runId;
}

async function unknown(layout: ResultsLayout, spec: string, why: string): Promise<never> {
  const latest = await latestRunId(layout);
  const recordings = (await listRecordings(layout)).map((r) => r.label);
  const available = [...(latest === undefined ? [] : [`latest run ${latest}`]), ...recordings];
  const listed =
    `latest run: ${latest ?? 'none'}; ` +
    `recordings (newest first): ${recordings.length === 0 ? 'none' : recordings.join(', ')}`;
  throw new UnknownSourceError(spec, available, `${why} in ${layout.root} (${listed})`);
}

/**
 * Resolve a SOURCE: `undefined` (or `latest`) is the latest results (the newest final result of
 * every test, `latest/`), `-N` the N-th newest recording (`-1` the newest), anything else a
 * recording label or, failing that, a run id. Throws `UnknownSourceError` listing what exists.
 */
export async function resolveSource(layout: ResultsLayout, spec?: string): Promise<ResolvedSource> {
  if (spec === undefined || spec === 'latest') {
    const runId = await latestRunId(layout);
    if (runId === undefined) return unknown(layout, spec ?? 'latest', 'no run recorded yet');
    return { kind: 'latest', runId, manifestPath: layout.manifest(runId) };
  }
  const nth = /^-(\d+)$/.exec(spec);
  if (nth) {
    const n = Number(nth[1]);
    const entry = (await listRecordings(layout))[n - 1];
    if (n < 1 || entry === undefined) return unknown(layout, spec, `no recording ${spec}`);
    return recording(layout, entry.label);
  }
  if (isSafe(() => assertSafeLabel(spec)) && (await pathExists(layout.recordingDir(spec)))) {
    return recording(layout, spec);
  }
  const asRun = isSafe(() => assertSafeSegment('run id', spec));
  if (asRun && (await pathExists(layout.manifest(spec)))) {
    return { kind: 'run', runId: spec, manifestPath: layout.manifest(spec) };
  }
  return unknown(layout, spec, `no recording or run named "${spec}"`);
}

function recording(layout: ResultsLayout, label: string): ResolvedSource {
  return {
    kind: 'recording',
    label,
    dir: layout.recordingDir(label),
    manifestPath: layout.recordingManifest(label),
  };
}
