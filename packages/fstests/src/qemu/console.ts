import { once } from 'node:events';
import { type WriteStream, createWriteStream } from 'node:fs';

/** Console lines that mean the guest kernel is dead or broken. */
const CRASH_LINE = /Kernel panic|\bBUG:|\bOops\b/;

/** A crash seen on the console. */
export interface ConsoleCrash {
  /** The console line that matched (`Kernel panic - not syncing: ...`). */
  readonly line: string;
  /** The last console lines, including the ones that followed the match within `settleMs`. */
  readonly excerpt: string;
}

/** Options of `ConsoleWatcher`. */
export interface ConsoleWatcherOptions {
  /** Append everything to this file (created). Default: no log file. */
  readonly logPath?: string;
  /** How many recent lines `tail()` and a crash excerpt hold. Default 50. */
  readonly tailLines?: number;
  /**
   * After a crash line, wait this long for the rest of the trace before reporting it (the
   * report comes sooner if `flush` is called, e.g. because QEMU exited). Default 300.
   */
  readonly settleMs?: number;
  /** Called once, for the first crash line. */
  readonly onCrash?: (crash: ConsoleCrash) => void;
}

/**
 * Watches a VM's serial console: writes it to a log file, keeps the last lines, and reports the
 * first `Kernel panic`, `BUG:` or `Oops` line with an excerpt.
 */
export class ConsoleWatcher {
  readonly #lines: string[] = [];
  readonly #max: number;
  readonly #settleMs: number;
  readonly #onCrash: ((crash: ConsoleCrash) => void) | undefined;
  readonly #log: WriteStream | undefined;
  #partial = '';
  #crashLine: string | undefined;
  #reported = false;
  #timer: NodeJS.Timeout | undefined;
  #sawOutput = false;

  constructor(options: ConsoleWatcherOptions = {}) {
    this.#max = options.tailLines ?? 50;
    this.#settleMs = options.settleMs ?? 300;
    this.#onCrash = options.onCrash;
    this.#log = options.logPath ? createWriteStream(options.logPath, { flags: 'a' }) : undefined;
    this.#log?.on('error', () => undefined);
  }

  /** True once any console output arrived. */
  get sawOutput(): boolean {
    return this.#sawOutput;
  }

  /** The first crash line seen, if any. */
  get crashLine(): string | undefined {
    return this.#crashLine;
  }

  /** Feed console output. */
  write(chunk: Buffer | string): void {
    this.#sawOutput = true;
    this.#log?.write(chunk);
    const parts = (this.#partial + chunk.toString()).split('\n');
    this.#partial = parts.pop() ?? '';
    for (const raw of parts) this.#push(raw.replace(/\r$/, ''));
  }

  #push(line: string): void {
    this.#lines.push(line);
    if (this.#lines.length > this.#max) this.#lines.shift();
    if (this.#crashLine === undefined && CRASH_LINE.test(line)) {
      this.#crashLine = line;
      this.#timer = setTimeout(() => this.flush(), this.#settleMs);
    }
  }

  /** The last lines (including an unterminated one). */
  tail(): string {
    const lines = this.#partial ? [...this.#lines, this.#partial] : this.#lines;
    return lines.join('\n');
  }

  /** Report a pending crash now instead of after `settleMs`. */
  flush(): void {
    clearTimeout(this.#timer);
    if (this.#reported || this.#crashLine === undefined) return;
    this.#reported = true;
    this.#onCrash?.({ line: this.#crashLine, excerpt: this.tail() });
  }

  /** Report a pending crash, stop timers and close the log file. */
  async close(): Promise<void> {
    this.flush();
    const log = this.#log;
    if (log && !log.closed) {
      log.end();
      await once(log, 'close');
    }
  }
}
