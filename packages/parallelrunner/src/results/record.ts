import { randomBytes } from 'node:crypto';
import {
  copyFile,
  link,
  mkdir,
  readdir,
  readlink,
  rename,
  rm,
  stat,
  symlink,
} from 'node:fs/promises';
import { join } from 'node:path';
import { ResultsError } from '../errors.js';
import { writeJsonAtomic } from './atomic.js';
import { RECORDING_MANIFEST, RESULTS_SCHEMA, type ResultsLayout } from './layout.js';
import type { LoadedRun } from './load.js';
import type { RunManifest } from './manifest.js';
import { pathExists as exists } from './sources.js';
import { testPath } from './test-path.js';

/** What `record` made. */
export interface Recording {
  /** The recording's label. */
  readonly label: string;
  /** Its directory, `recordings/<label>`. */
  readonly dir: string;
  /** Id of the run it was made from. */
  readonly runId: string;
  /** When it was made (ms since the epoch). */
  readonly createdAt: number;
  /** Tests whose final attempt directory was snapshotted. */
  readonly tests: number;
  /** Problems met (from loading the source, or attempt directories that were missing). */
  readonly warnings: readonly string[];
  /** Why the source was not one complete run (`LoadedRun.partial`); `null` when it was. */
  readonly partial: string | null;
}

/** A label from the time: `2026-01-31T12-00-05Z` (no `:` so it is a portable file name). */
export function timestampLabel(now: number): string {
  return new Date(now)
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replaceAll(':', '-');
}

/** Hard-link (or, across file systems, copy) the tree `from` into the new directory `to`. */
async function linkTree(from: string, to: string): Promise<void> {
  await mkdir(to, { recursive: true });
  for (const entry of await readdir(from, { withFileTypes: true })) {
    const src = join(from, entry.name);
    const dest = join(to, entry.name);
    if (entry.isDirectory()) await linkTree(src, dest);
    else if (entry.isSymbolicLink()) await symlink(await readlink(src), dest);
    else if (entry.isFile()) {
      await link(src, dest).catch(async (error: NodeJS.ErrnoException) => {
        if (error.code !== 'EXDEV' && error.code !== 'EPERM' && error.code !== 'EMLINK')
          throw error;
        await copyFile(src, dest);
      });
    }
  }
}

/**
 * Snapshot `run` as `recordings/<label>/`: the final attempt directory of every test at
 * `<label>/<test id>` (hard links, copies across file systems) and the run manifest at
 * `<label>/manifest.json`. Built in a hidden temporary directory and renamed into place, so a
 * recording is complete or absent. `label` must have been checked with `assertSafeLabel`.
 */
export async function recordRun(
  layout: ResultsLayout,
  run: LoadedRun,
  label: string,
  now: number,
): Promise<Recording> {
  const finalDir = layout.recordingDir(label);
  if (await exists(finalDir)) throw new ResultsError(`recording "${label}" already exists`);
  if (run.results.length === 0) {
    const what =
      run.source.kind === 'latest'
        ? 'no test has a result yet'
        : `${run.source.kind} ${run.source.name} has no test result`;
    const why = run.partial === null ? '' : ` (${run.partial})`;
    throw new ResultsError(`nothing to record: ${what}${why}`);
  }
  if (run.results.some((r) => testPath(r.testId) === RECORDING_MANIFEST)) {
    throw new ResultsError(`a test named "${RECORDING_MANIFEST}" cannot be recorded`);
  }
  const warnings = [...run.warnings];
  const temp = join(layout.recordingsDir, `.tmp-${randomBytes(6).toString('hex')}`);
  try {
    await mkdir(temp, { recursive: true });
    let tests = 0;
    const results = [];
    for (const r of run.results) {
      const from = r.outputDir;
      const to = join(temp, testPath(r.testId));
      if (from !== undefined && (await exists(from))) {
        await linkTree(from, to);
        tests++;
      } else {
        warnings.push(`${r.testId}: attempt directory ${from ?? '(none)'} missing; not recorded`);
      }
      results.push({ ...r, outputDir: join(finalDir, testPath(r.testId)) });
    }
    const manifest: RunManifest = {
      schema: RESULTS_SCHEMA,
      runId: run.runId,
      startedAt: run.startedAt ?? 0,
      finishedAt: run.finishedAt ?? now,
      canceled: run.canceled,
      commandLine: run.commandLine,
      supervisors: run.supervisors,
      selection: { testIds: run.results.map((r) => r.testId) },
      meta: run.meta,
      results,
      attempts: [],
      unfinished: run.unfinished,
      recording: { label, createdAt: now },
      ...(run.partial === null ? {} : { partial: run.partial }),
    };
    await writeJsonAtomic(join(temp, RECORDING_MANIFEST), manifest);
    try {
      await rename(temp, finalDir);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST' || code === 'ENOTEMPTY') {
        throw new ResultsError(`recording "${label}" already exists`);
      }
      throw error;
    }
    return {
      label,
      dir: finalDir,
      runId: run.runId,
      createdAt: now,
      tests,
      warnings,
      partial: run.partial,
    };
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    if (error instanceof ResultsError) throw error;
    throw new ResultsError(`cannot record "${label}" in ${layout.recordingsDir}`, { cause: error });
  }
}
