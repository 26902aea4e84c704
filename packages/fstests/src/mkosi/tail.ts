/** Keeping the end of a process's output for error messages. */

/** The last `lines` lines of `text` (trailing newline ignored). */
export function tailLines(text: string, lines = 20): string {
  const all = text.replace(/\n+$/, '').split('\n');
  return all.slice(-lines).join('\n');
}

/**
 * Accumulates output chunks and keeps only the last `maxBytes` bytes, so that a long-running
 * process's output can be quoted in an error without holding all of it.
 */
export class OutputTail {
  #chunks: Buffer[] = [];
  #bytes = 0;

  /** @param maxBytes how much output to keep (default 16 KiB) */
  constructor(readonly maxBytes = 16 * 1024) {}

  push(chunk: Buffer): void {
    this.#chunks.push(chunk);
    this.#bytes += chunk.length;
    while (this.#bytes > this.maxBytes && this.#chunks.length > 1) {
      const first = this.#chunks.shift();
      this.#bytes -= first?.length ?? 0;
    }
  }

  /** The last `lines` lines kept so far. */
  text(lines = 20): string {
    const all = Buffer.concat(this.#chunks);
    const kept = all.subarray(Math.max(0, all.length - this.maxBytes));
    return tailLines(kept.toString('utf8'), lines);
  }
}
