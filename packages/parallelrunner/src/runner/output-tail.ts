/** Keeps the last `limit` bytes of a stream without holding the whole stream. */
export class OutputTail {
  readonly #limit: number;
  #chunks: Buffer[] = [];
  #bytes = 0;
  #truncated = false;

  constructor(limit: number) {
    this.#limit = limit;
  }

  /** The stream was longer than the limit. */
  get truncated(): boolean {
    return this.#truncated;
  }

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.#chunks.push(chunk);
    this.#bytes += chunk.length;
    while (this.#bytes > this.#limit) {
      const first = this.#chunks[0];
      if (first === undefined) break;
      const excess = this.#bytes - this.#limit;
      this.#truncated = true;
      if (first.length <= excess) {
        this.#chunks.shift();
        this.#bytes -= first.length;
      } else {
        this.#chunks[0] = first.subarray(excess);
        this.#bytes -= excess;
      }
    }
  }

  /** The kept bytes decoded as UTF-8. */
  text(): string {
    if (this.#chunks.length === 0) return '';
    if (this.#chunks.length === 1) return this.#chunks[0]?.toString('utf8') ?? '';
    return Buffer.concat(this.#chunks).toString('utf8');
  }
}
