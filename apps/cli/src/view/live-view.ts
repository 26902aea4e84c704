import type { RunnerEvent } from '@ff/parallelrunner';
import { Listr, type ListrTask } from 'listr2';
import { type Paint, formatDuration, resultLine } from './format.js';
import { formatClock } from './plain-view.js';
import { RunState, type SupervisorRow } from './run-state.js';

/** The terminal the live view draws on (a `tty.WriteStream` in practice). */
export interface Terminal {
  write(text: string): boolean;
  readonly columns?: number;
}

/** What the frame renderer needs from the view; passed through listr2's renderer options. */
interface FrameSource {
  /** Lines finished since the last frame, printed above the live rows and kept. */
  takeLines(): string[];
  /** The bottom line (counts, bar, ETA). */
  footer(): string;
  readonly stream: Terminal;
  readonly paint: Paint;
}

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/**
 * A listr2 renderer that draws one row per task (supervisor) plus a footer, and prints finished
 * results as permanent lines above the rows. listr2's default renderer buffers foreign output
 * until the end, which would hide results during a long run; this one interleaves them.
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

  constructor(
    private readonly tasks: readonly {
      title?: string;
      isPending(): boolean;
      hasFailed(): boolean;
    }[],
    options: { source?: FrameSource },
  ) {
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
    const { stream, paint } = this.source;
    const columns = stream.columns !== undefined && stream.columns > 0 ? stream.columns : 100;
    const width = Math.max(20, columns - 1);
    const spin = SPINNER[this.tick++ % SPINNER.length] ?? '-';
    const rows = this.tasks.map((t) => {
      const icon = t.hasFailed()
        ? paint.red('✖')
        : t.isPending()
          ? paint.cyan(spin)
          : paint.green('✔');
      return truncate(`${icon} ${t.title ?? ''}`, width);
    });
    rows.push(truncate(this.source.footer(), width));
    let out = this.height > 0 ? `\u001b[${this.height}F\u001b[J` : '';
    for (const line of this.source.takeLines()) out += `${line}\n`;
    out += `${rows.join('\n')}\n`;
    this.height = rows.length;
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
  /** Estimated milliseconds left, if known. */
  readonly eta?: (state: RunState) => number | undefined;
}

/** The terminal live view: a row per supervisor and an overall bar with counts and ETA. */
export class LiveView {
  readonly state: RunState;
  private readonly pending: string[] = [];
  private readonly finishers = new Map<string, (failed: boolean) => void>();
  private listr: Promise<unknown> | undefined;

  constructor(private readonly options: LiveViewOptions) {
    this.state = new RunState(options.total);
  }

  start(): void {
    const source: FrameSource = {
      takeLines: () => this.pending.splice(0),
      footer: () => this.footer(),
      stream: this.options.stream,
      paint: this.options.paint,
    };
    const tasks: ListrTask[] = this.options.supervisors.map((name) => ({
      title: name,
      task: (_ctx, task) =>
        new Promise<void>((resolve, reject) => {
          const refresh = setInterval(() => {
            task.title = this.rowTitle(name);
          }, 150);
          this.finishers.set(name, (failed) => {
            clearInterval(refresh);
            task.title = this.rowTitle(name);
            if (failed) reject(new Error(this.state.rows.get(name)?.detail ?? 'failed'));
            else resolve();
          });
        }),
    }));
    const listr = new Listr(tasks, {
      concurrent: true,
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

  /** Ends the view: every row shows its final state; resolves once listr2 has finished. */
  async stop(): Promise<void> {
    for (const [name, finish] of this.finishers)
      finish(this.state.rows.get(name)?.state === 'dead');
    await this.listr;
  }

  private rowTitle(name: string): string {
    const row: SupervisorRow | undefined = this.state.rows.get(name);
    const p = this.options.paint;
    const label = name.padEnd(Math.max(...this.options.supervisors.map((s) => s.length)));
    if (!row) return `${label}  ${p.dim('waiting')}`;
    const age = formatDuration(Date.now() - row.since);
    switch (row.state) {
      case 'running':
        return `${label}  running ${p.bold(row.testId ?? '?')} ${p.dim(age)}`;
      case 'spawning':
      case 'respawning':
        return `${label}  ${row.state} ${p.dim(age)}${row.detail ? p.dim(` (${row.detail})`) : ''}`;
      case 'dead':
        return `${label}  ${p.red('dead')}${row.detail ? `: ${row.detail}` : ''}`;
      default:
        return `${label}  ${p.dim(row.state)}`;
    }
  }

  private footer(): string {
    const s = this.state;
    const p = this.options.paint;
    const width = 24;
    const filled = s.total === 0 ? width : Math.round((s.finished / s.total) * width);
    const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
    const eta = this.options.eta?.(s);
    const parts = [
      `${bar} ${s.finished}/${s.total}`,
      p.green(`pass ${s.counts.pass}`),
      p.red(`fail ${s.counts.fail}`),
      p.yellow(`skip ${s.counts.skip}`),
      p.red(`error ${s.counts.error}`),
      `elapsed ${formatClock(Date.now() - s.startedAt)}`,
    ];
    // No ETA without history (a first run), nor once every supervisor is gone (Infinity).
    const unknown =
      eta === undefined || !Number.isFinite(eta) || (eta === 0 && s.finished < s.total);
    if (!unknown) parts.push(`ETA ${formatClock(eta)}`);
    return parts.join('  ');
  }
}
