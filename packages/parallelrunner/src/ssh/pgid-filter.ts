/** First stderr line of every wrapped command: this marker and the remote process-group id. */
export const PGID_MARKER = '__ff_pgid__:';

/**
 * Strips the pgid marker line that a wrapped command writes first on stderr, and resolves
 * `pgid` with the id it carries. Everything else is passed on to `onStderr` unchanged.
 */
export class PgidFilter {
  readonly pgid: Promise<number>;
  /** The remote process-group id, once reported. */
  knownPgid: number | undefined;
  #pending: Buffer | undefined = Buffer.alloc(0);
  #resolvePgid: (pgid: number) => void = () => undefined;

  constructor(readonly onStderr: (chunk: Buffer) => void) {
    this.pgid = new Promise((resolve) => {
      this.#resolvePgid = resolve;
    });
  }

  /** Feed one stderr chunk. */
  push(chunk: Buffer): void {
    if (this.#pending === undefined) {
      this.onStderr(chunk);
      return;
    }
    const buf = Buffer.concat([this.#pending, chunk]);
    const newline = buf.indexOf(0x0a);
    const head = buf.subarray(0, newline < 0 ? buf.length : newline).toString('latin1');
    const isMarker = head.startsWith(PGID_MARKER) || PGID_MARKER.startsWith(head);
    if (isMarker && newline < 0 && buf.length < 64) {
      this.#pending = buf;
      return;
    }
    this.#pending = undefined;
    const pgid = Number(head.slice(PGID_MARKER.length));
    if (isMarker && newline >= 0 && Number.isInteger(pgid) && pgid > 1) {
      this.knownPgid = pgid;
      this.#resolvePgid(pgid);
      if (newline + 1 < buf.length) this.onStderr(buf.subarray(newline + 1));
    } else if (buf.length > 0) {
      this.onStderr(buf);
    }
  }

  /** Pass on a partial marker line still held back (the stream ended). */
  flush(): void {
    const pending = this.#pending;
    this.#pending = undefined;
    if (pending !== undefined && pending.length > 0) this.onStderr(pending);
  }
}
