import type { RunnerEvent } from '@ff/parallelrunner';
import { Listr } from 'listr2';
import { type Paint, formatDuration, resultLine } from './format.js';
import { formatClock } from './plain-view.js';
import { RunState, type SupervisorRow } from './run-state.js';

/** The terminal the live view draws on (a `tty.WriteStream` in practice). */
export interface Terminal {
  write(text: string): boolean;
  readonly columns?: number;
  readonly rows?: number;
}

/** What the frame renderer needs from the view; passed through listr2's renderer options. */
interface FrameSource {
  /** Lines (results, notices) since the last frame, printed above the live rows and kept. */
  takeLines(): string[];
  /** One line per supervisor, `spin` being the spinner's current frame. */
  rows(spin: string): string[];
  /** The bottom line (counts, bar, ETA). */
  footer(): string;
  readonly stream: Terminal;
}

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/**
 * A listr2 renderer that draws one row per supervisor plus a footer, and prints finished
 * results and notices as permanent lines above the rows. listr2's default renderer buffers
 * foreign output until the end, which would hide results during a long run; this one
 * interleaves them. Nothing else may write to the terminal while it runs: it redraws by moving
 * the cursor up over its own rows, so any other write would be overwritten or leave stale rows.
 */
class FrameRenderer {
  // The CLI picks this view only for a terminal; listr2 must not swap it for its own fallback
  // because it looks at process.stdout rather than the stream the view draws on.
  static nonTTY = true;
  static rendererOptions: { source?: FrameSource } = {};
  static rendererTaskOptions: Record<string, never> = {};
  private timer: NodeJS.Timeout | undefined;
  private height = 0;
  private tick = 0;
  private readonly source: FrameSource;

  constructor(_tasks: unknown, options: { source?: FrameSource }) {
    if (!options.source) throw new Error('FrameRenderer needs a frame source');
    this.source = options.source;
  }

  render(): void {
    this.source.stream.write('\u001b[?25l');
    this.timer = setInterval(() => this.draw(), 150);
    this.draw();
  }

  end(): void {
    if (this.timer) clearInterval(this.timer);
    this.draw();
    this.source.stream.write('\u001b[?25h');
  }

  private draw(): void {
    const { stream } = this.source;
    const columns = stream.columns !== undefined && stream.columns > 0 ? stream.columns : 100;
    const width = Math.max(20, columns - 1);
    const spin = SPINNER[this.tick++ % SPINNER.length] ?? '-';
    // Rows that scrolled off the top could not be redrawn: keep the frame within the screen.
    const fit =
      stream.rows !== undefined && stream.rows > 2 ? stream.rows - 2 : Number.POSITIVE_INFINITY;
    let rows = this.source.rows(spin);
    if (rows.length > fit) {
      const shown = Math.max(1, fit - 1);
      rows = [...rows.slice(0, shown), `  ... ${rows.length - shown} more`];
    }
    const frame = [...rows, this.source.footer()].map((line) => truncate(line, width));
    let out = this.height > 0 ? `\u001b[${this.height}F\u001b[J` : '';
    for (const line of this.source.takeLines()) out += `${line}\n`;
    out += `${frame.join('\n')}\n`;
    this.height = frame.length;
    stream.write(out);
  }
}

/** Cut a line (which may hold colour codes) to `width` visible characters. */
function truncate(line: string, width: number): string {
  let visible = 0;
  let out = '';
  for (let i = 0; i < line.length; i++) {
    const ch = line[i] ?? '';
    if (ch === '\u001b') {
      const end = line.indexOf('m', i);
      if (end !== -1) {
        out += line.slice(i, end + 1);
        i = end;
        continue;
      }
    }
    if (visible >= width) continue;
    out += ch;
    visible++;
  }
  return out;
}

/** Options of `LiveView`. */
export interface LiveViewOptions {
  readonly total: number;
  readonly supervisors: readonly string[];
  readonly paint: Paint;
  readonly stream: Terminal;
  /** Estimated milliseconds left; `undefined` while it cannot be estimated (`ETA ?`). */
  readonly eta?: (state: RunState) => number | undefined;
}

/**
 * The terminal live view: a row per supervisor and an overall bar with counts and ETA. While it
 * runs, everything else meant for the terminal goes through `notice`.
 */
export class LiveView {
  readonly state: RunState;
  private readonly pending: string[] = [];
  private finish: (() => void) | undefined;
  private listr: Promise<unknown> | undefined;

  constructor(private readonly options: LiveViewOptions) {
    this.state = new RunState(options.total);
  }

  start(): void {
    const source: FrameSource = {
      takeLines: () => this.pending.splice(0),
      rows: (spin) => this.options.supervisors.map((name) => this.row(name, spin)),
      footer: () => this.footer(),
      stream: this.options.stream,
    };
    const done = new Promise<void>((resolve) => {
      this.finish = resolve;
    });
    const listr = new Listr([{ title: 'run', task: () => done }], {
      exitOnError: false,
      registerSignalListeners: false,
      renderer: FrameRenderer,
      rendererOptions: { source },
    });
    this.listr = listr.run().catch(() => undefined);
  }

  handle(event: RunnerEvent): void {
    this.state.apply(event);
    const p = this.options.paint;
    if (event.type === 'test:finished') this.pending.push(resultLine(p, event.result));
    else if (event.type === 'supervisor:failed') {
      this.pending.push(p.red(`${event.supervisor}: left the run: ${event.error.message}`));
    } else if (event.type === 'supervisor:died') {
      this.pending.push(p.red(`${event.supervisor}: died: ${event.reason}`));
    }
  }

  /** Print `text` above the rows with the next frame (a notice, a warning, Ctrl-C). */
  notice(text: string): void {
    this.pending.push(...text.replace(/^\n+|\n+$/g, '').split('\n'));
  }

  /** Ends the view: every row shows its final state; resolves once listr2 has finished. */
  async stop(): Promise<void> {
    this.finish?.();
    await this.listr;
  }

  private row(name: string, spin: string): string {
    const row: SupervisorRow | undefined = this.state.rows.get(name);
    const p = this.options.paint;
    const label = name.padEnd(Math.max(...this.options.supervisors.map((s) => s.length)));
    const busy = (text: string) => `${p.cyan(spin)} ${label}  ${text}`;
    if (!row) return busy(p.dim('starting'));
    const age = p.dim(formatDuration(Date.now() - row.since));
    const detail = row.detail ? p.dim(` (${row.detail})`) : '';
    switch (row.state) {
      case 'running':
        return busy(`running ${p.bold(row.testId ?? '?')} ${age}`);
      case 'spawning':
        return busy(`starting ${age}${detail}`);
      case 'respawning':
        return busy(`restarting ${age}${detail}`);
      case 'idle':
        return `${p.dim('·')} ${label}  ${p.dim('idle')}`;
      case 'stopped':
        return `${p.green('✔')} ${label}  ${p.dim('stopped')}`;
      case 'dead':
        return `${p.red('✖')} ${label}  ${p.red('dead')}${row.detail ? `: ${row.detail}` : ''}`;
    }
  }

  private footer(): string {
    const s = this.state;
    const p = this.options.paint;
    const width = 24;
    const filled = s.total === 0 ? width : Math.round((s.finished / s.total) * width);
    const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
    const parts = [
      `${bar} ${s.finished}/${s.total}`,
      p.green(`pass ${s.counts.pass}`),
      p.red(`fail ${s.counts.fail}`),
      p.yellow(`skip ${s.counts.skip}`),
      p.red(`error ${s.counts.error}`),
      `elapsed ${formatClock(Date.now() - s.startedAt)}`,
    ];
    if (this.options.eta) {
      const eta = this.options.eta(s);
      parts.push(`ETA ${eta === undefined ? '?' : formatClock(eta)}`);
    }
    return parts.join('  ');
  }
}
