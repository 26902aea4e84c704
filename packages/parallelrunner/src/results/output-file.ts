import { close, open, write, writeSync } from 'node:fs';
import { ResultsError } from '../errors.js';

/** Default backlog of asynchronous writes before `OutputFile` writes synchronously. */
export const DEFAULT_MAX_BACKLOG_BYTES = 4 * 1024 * 1024;

function writeAt(fd: number, chunk: Buffer, position: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const step = (offset: number) => {
      write(fd, chunk, offset, chunk.length - offset, position + offset, (error, written) => {
        if (error) reject(error);
        else if (offset + written < chunk.length) step(offset + written);
        else resolve();
      });
    };
    step(0);
  });
}

function writeAtSync(fd: number, chunk: Buffer, position: number): void {
  let offset = 0;
  while (offset < chunk.length) {
    offset += writeSync(fd, chunk, offset, chunk.length - offset, position + offset);
  }
}

/**
 * An append-only file fed by a synchronous `write(chunk)` that has no way to push back (the
 * `AttemptRecorder.write` contract). Chunks are written asynchronously at explicit offsets;
 * when more than `maxBacklogBytes` are waiting, further chunks are written synchronously, so
 * memory stays bounded however fast the producer is. Write errors are kept and thrown by
 * `close`.
 */
export class OutputFile {
  #fd: number | undefined;
  #position = 0;
  #backlog = 0;
  #chain: Promise<void> = Promise.resolve();
  #error: unknown;
  #closed = false;

  private constructor(
    readonly path: string,
    fd: number,
    readonly maxBacklogBytes: number,
  ) {
    this.#fd = fd;
  }

  /** Create (or truncate) `path`. `maxBacklogBytes` defaults to 4 MiB. */
  static open(path: string, maxBacklogBytes = DEFAULT_MAX_BACKLOG_BYTES): Promise<OutputFile> {
    return new Promise((resolve, reject) => {
      open(path, 'w', 0o644, (error, fd) => {
        if (error) reject(new ResultsError(`cannot create ${path}`, { cause: error }));
        else resolve(new OutputFile(path, fd, maxBacklogBytes));
      });
    });
  }

  /** Bytes written (or queued) so far. */
  get bytes(): number {
    return this.#position;
  }

  /** Append `chunk`. Ignored after `close` or after a write error. */
  write(chunk: Buffer): void {
    const fd = this.#fd;
    if (this.#closed || fd === undefined || this.#error !== undefined || chunk.length === 0) return;
    const position = this.#position;
    this.#position += chunk.length;
    if (this.#backlog + chunk.length > this.maxBacklogBytes) {
      try {
        writeAtSync(fd, chunk, position);
      } catch (error) {
        this.#error = error;
      }
      return;
    }
    this.#backlog += chunk.length;
    this.#chain = this.#chain.then(async () => {
      try {
        if (this.#error === undefined) await writeAt(fd, chunk, position);
      } catch (error) {
        this.#error = error;
      } finally {
        this.#backlog -= chunk.length;
      }
    });
  }

  /** Wait for queued writes, close the file, and throw `ResultsError` if any write failed. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#chain;
    const fd = this.#fd;
    this.#fd = undefined;
    if (fd !== undefined) {
      await new Promise<void>((resolve) => close(fd, () => resolve()));
    }
    if (this.#error !== undefined) {
      throw new ResultsError(`writing ${this.path} failed`, { cause: this.#error });
    }
  }
}
