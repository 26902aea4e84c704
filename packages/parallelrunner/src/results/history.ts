import { readFile } from 'node:fs/promises';
import { median } from '../schedule/durations.js';
import { writeJsonAtomic } from './atomic.js';
import { RESULTS_SCHEMA } from './layout.js';
import { isObject } from './parse.js';

/** How many recent durations `DurationHistory` keeps per test (default). */
export const HISTORY_KEEP = 5;

/**
 * Recent durations per test id, persisted as `history.json`
 * (`{ "schema": 1, "tests": { "<id>": [ms, ...] } }`, oldest first).
 */
export class DurationHistory {
  readonly #tests = new Map<string, number[]>();
  #dirty = false;

  /** `keep` defaults to `HISTORY_KEEP` (5). */
  constructor(
    /** The `history.json` file it is loaded from and saved to. */
    readonly path: string,
    /** How many recent durations are kept per test. Default `HISTORY_KEEP` (5). */
    readonly keep: number = HISTORY_KEEP,
  ) {}

  /**
   * Load `path`. A missing file gives an empty history; an unreadable or corrupt one gives an
   * empty history plus a warning (it is rewritten on the next save).
   */
  static async load(
    path: string,
    keep: number = HISTORY_KEEP,
  ): Promise<{ history: DurationHistory; warning?: string }> {
    const history = new DurationHistory(path, keep);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { history };
      return { history, warning: `${path}: cannot read duration history (${String(error)})` };
    }
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      return { history, warning: `${path}: duration history is not valid JSON; starting afresh` };
    }
    if (!isObject(data) || data.schema !== RESULTS_SCHEMA || !isObject(data.tests)) {
      return { history, warning: `${path}: not a duration history of schema ${RESULTS_SCHEMA}` };
    }
    for (const [id, list] of Object.entries(data.tests)) {
      if (!Array.isArray(list)) continue;
      const valid = list.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
      if (valid.length > 0) history.#tests.set(id, valid.slice(-keep));
    }
    return { history };
  }

  /** Unsaved changes exist. */
  get dirty(): boolean {
    return this.#dirty;
  }

  /** Add one measured duration of `testId`, dropping the oldest beyond `keep`. */
  record(testId: string, durationMs: number): void {
    if (!Number.isFinite(durationMs) || durationMs < 0) return;
    const list = this.#tests.get(testId) ?? [];
    list.push(Math.round(durationMs));
    if (list.length > this.keep) list.splice(0, list.length - this.keep);
    this.#tests.set(testId, list);
    this.#dirty = true;
  }

  /** The recent durations of `testId`, oldest first. */
  recent(testId: string): readonly number[] {
    return this.#tests.get(testId) ?? [];
  }

  /** Robust estimate per test: the median of its recent durations (ms). */
  durations(): Map<string, number> {
    const out = new Map<string, number>();
    for (const [id, list] of this.#tests) {
      const estimate = median(list);
      if (estimate !== undefined) out.set(id, estimate);
    }
    return out;
  }

  /** Write the history atomically (sorted by id) if anything changed. */
  async save(): Promise<void> {
    if (!this.#dirty) return;
    this.#dirty = false;
    const tests: Record<string, number[]> = {};
    for (const id of [...this.#tests.keys()].sort()) tests[id] = this.#tests.get(id) ?? [];
    try {
      await writeJsonAtomic(this.path, { schema: RESULTS_SCHEMA, tests });
    } catch (error) {
      this.#dirty = true;
      throw error;
    }
  }
}
