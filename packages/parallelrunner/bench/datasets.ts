import { existsSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** One measured test of a dataset. */
export interface MeasuredTest {
  readonly id: string;
  /** Wall time in milliseconds (the files hold whole seconds; 0 is a real value). */
  readonly ms: number;
}

/** One real fstests run: per-test durations in run order. */
export interface Dataset {
  /** File name without `fstests-durations-` and `.tsv`, e.g. `xfs-kdevops-crc`. */
  readonly name: string;
  readonly tests: readonly MeasuredTest[];
}

/** The repository root: three levels above this file (packages/parallelrunner/bench). */
export function repoRoot(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
}

/**
 * `shared/data` next to the repository (or next to a directory holding it, e.g. a worktree
 * under `wt/`), where the duration files live; the nearest one up from the repository wins.
 */
export function defaultDataDir(): string {
  const near = path.resolve(repoRoot(), '..', 'shared', 'data');
  for (let dir = path.dirname(repoRoot()); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'shared', 'data');
    if (existsSync(candidate)) return candidate;
  }
  return near;
}

/** Parse a `test<TAB>seconds` file. Throws on a wrong header, a bad row or a duplicate id. */
export function parseDurations(text: string, file: string): MeasuredTest[] {
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  if (lines[0]?.trim() !== 'test\tseconds') {
    throw new Error(`${file}: expected the header "test<TAB>seconds"`);
  }
  const seen = new Set<string>();
  return lines.slice(1).map((line, i) => {
    const [id, seconds, ...rest] = line.trim().split('\t');
    const value = Number(seconds);
    if (!id || rest.length > 0 || seconds === '' || !Number.isFinite(value) || value < 0) {
      throw new Error(`${file}:${i + 2}: expected "test<TAB>seconds", got "${line}"`);
    }
    if (seen.has(id)) throw new Error(`${file}:${i + 2}: duplicate test "${id}"`);
    seen.add(id);
    return { id, ms: value * 1000 };
  });
}

/** Read every `*.tsv` in `dir`, sorted by name. */
export async function loadDatasets(dir: string = defaultDataDir()): Promise<Dataset[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.tsv')).sort();
  if (files.length === 0) throw new Error(`no *.tsv duration files in ${dir}`);
  return Promise.all(
    files.map(async (file) => ({
      name: file.replace(/^fstests-durations-/, '').replace(/\.tsv$/, ''),
      tests: parseDurations(await readFile(path.join(dir, file), 'utf8'), file),
    })),
  );
}

/** The dataset called `name`; throws listing the names that exist. */
export function findDataset(datasets: readonly Dataset[], name: string): Dataset {
  const found = datasets.find((d) => d.name === name);
  if (!found) {
    throw new Error(`dataset "${name}" not found; have: ${datasets.map((d) => d.name).join(', ')}`);
  }
  return found;
}
