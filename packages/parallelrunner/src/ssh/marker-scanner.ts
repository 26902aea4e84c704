/**
 * Finds `marker` in a byte stream fed chunk by chunk: bytes before it go to `onData` as they
 * arrive (only a tail that could be the start of the marker is held back), the marker is
 * dropped, and the bytes after it are collected in `rest`. Once found, `found` is true and
 * further chunks are appended to `rest`.
 */
export class MarkerScanner {
  readonly #marker: Buffer;
  #held: Buffer = Buffer.alloc(0);
  #rest: Buffer[] = [];
  found = false;

  constructor(
    marker: string,
    readonly onData: (chunk: Buffer) => void,
  ) {
    this.#marker = Buffer.from(marker, 'latin1');
  }

  /** The bytes after the marker, so far. */
  get rest(): Buffer {
    return Buffer.concat(this.#rest);
  }

  push(chunk: Buffer): void {
    if (this.found) {
      this.#rest.push(chunk);
      return;
    }
    const buf = this.#held.length === 0 ? chunk : Buffer.concat([this.#held, chunk]);
    const at = buf.indexOf(this.#marker);
    if (at >= 0) {
      this.found = true;
      this.#held = Buffer.alloc(0);
      if (at > 0) this.onData(buf.subarray(0, at));
      this.#rest.push(buf.subarray(at + this.#marker.length));
      return;
    }
    const keep = this.#partialTail(buf);
    this.#held = Buffer.from(buf.subarray(buf.length - keep));
    if (buf.length > keep) this.onData(buf.subarray(0, buf.length - keep));
  }

  /** Pass on what is held back (the stream ended without the marker). */
  flush(): void {
    const held = this.#held;
    this.#held = Buffer.alloc(0);
    if (held.length > 0) this.onData(held);
  }

  /** Length of the longest tail of `buf` that is a proper prefix of the marker. */
  #partialTail(buf: Buffer): number {
    const first = this.#marker[0];
    for (let k = Math.min(this.#marker.length - 1, buf.length); k > 0; k--) {
      const start = buf.length - k;
      if (buf[start] !== first) continue;
      if (buf.subarray(start).equals(this.#marker.subarray(0, k))) return k;
    }
    return 0;
  }
}
