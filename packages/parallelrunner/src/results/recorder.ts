import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { InvalidNameError, ResultsError } from '../errors.js';
import type { AttemptRecorder } from '../sink.js';
import type { TestResult } from '../test.js';
import { writeJsonAtomic } from './atomic.js';
import { RESERVED_ATTEMPT_FILES, RESULTS_SCHEMA } from './layout.js';
import { assertSafeSegment } from './names.js';
import { OutputFile } from './output-file.js';

/** Called once an attempt's files are complete, with the result as stored. */
export type AttemptFinished = (result: TestResult) => Promise<void>;

/**
 * Streams one attempt's stdout and stderr into `<dir>/stdout` and `<dir>/stderr` and stores
 * `<dir>/result.json` when it finishes.
 */
export class FileAttemptRecorder implements AttemptRecorder {
  readonly artifactsDir: string;
  #finished = false;

  private constructor(
    readonly dir: string,
    private readonly stdout: OutputFile,
    private readonly stderr: OutputFile,
    private readonly onFinished: AttemptFinished,
  ) {
    this.artifactsDir = join(dir, 'artifacts');
  }

  /** Create `dir`, its `artifacts/` directory and its (empty) `stdout` and `stderr` files. */
  static async create(dir: string, onFinished: AttemptFinished): Promise<FileAttemptRecorder> {
    try {
      await mkdir(join(dir, 'artifacts'), { recursive: true });
    } catch (error) {
      throw new ResultsError(`cannot create attempt directory ${dir}`, { cause: error });
    }
    const stdout = await OutputFile.open(join(dir, 'stdout'));
    let stderr: OutputFile;
    try {
      stderr = await OutputFile.open(join(dir, 'stderr'));
    } catch (error) {
      await stdout.close();
      throw error;
    }
    return new FileAttemptRecorder(dir, stdout, stderr, onFinished);
  }

  tracePath(name: string): string {
    assertSafeSegment('trace name', name);
    if (RESERVED_ATTEMPT_FILES.has(name)) {
      throw new InvalidNameError(`trace name "${name}" is reserved in an attempt directory`);
    }
    return join(this.dir, name);
  }

  write(stream: 'stdout' | 'stderr', chunk: Buffer): void {
    if (this.#finished) return;
    (stream === 'stdout' ? this.stdout : this.stderr).write(chunk);
  }

  /** Bytes of output received so far per stream. */
  get bytes(): { readonly stdout: number; readonly stderr: number } {
    return { stdout: this.stdout.bytes, stderr: this.stderr.bytes };
  }

  async finish(result: TestResult): Promise<void> {
    if (this.#finished) throw new ResultsError(`attempt ${this.dir} finished twice`);
    this.#finished = true;
    const closing = await Promise.allSettled([this.stdout.close(), this.stderr.close()]);
    const stored: TestResult = { ...result, outputDir: this.dir };
    try {
      await writeJsonAtomic(join(this.dir, 'result.json'), { schema: RESULTS_SCHEMA, ...stored });
    } catch (error) {
      throw new ResultsError(`cannot write ${join(this.dir, 'result.json')}`, { cause: error });
    }
    await this.onFinished(stored);
    for (const c of closing) if (c.status === 'rejected') throw c.reason;
  }
}
