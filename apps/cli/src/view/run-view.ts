import type { RunnerEvent } from '@ff/parallelrunner';
import { type CliIo, println } from '../io.js';
import { runEta } from './eta.js';
import type { Paint } from './format.js';
import { PlainView } from './plain-view.js';

/** The view of a running run: events in, notices in, stopped at the end. */
export interface RunView {
  handle(event: RunnerEvent): void;
  /** Tell the user something while the run goes on (a notice, a warning, Ctrl-C). */
  notice(text: string): void;
  /** End the view (the live view draws its last frame); notices go to stderr again. */
  stop(): Promise<void>;
}

/** Options of `startRunView`. */
export interface RunViewOptions {
  readonly io: CliIo;
  readonly paint: Paint;
  /** One line per event (CI, `-v`, not a terminal) instead of the live view. */
  readonly plain: boolean;
  /** Ids of the tests in the order given to the runner. */
  readonly order: readonly string[];
  readonly supervisors: readonly string[];
  /** Durations known before the run (for the ETA). */
  readonly history: ReadonlyMap<string, number>;
}

/**
 * Start the plain or the live view. While the live view runs it owns the terminal: notices and
 * process warnings are printed through it, above its rows (a write of anyone else's would be
 * overwritten by the next frame or leave stale rows behind).
 */
export async function startRunView(options: RunViewOptions): Promise<RunView> {
  const { io, paint } = options;
  const stderr = (text: string) => println(io.stderr, text);
  if (options.plain) {
    const view = new PlainView(options.order.length, paint, (line) => println(io.stdout, line));
    return { handle: (e) => view.handle(e), notice: stderr, stop: async () => {} };
  }
  // listr2 loads only when needed: `ff --list` stays quick.
  const { LiveView } = await import('./live-view.js');
  const view = new LiveView({
    total: options.order.length,
    supervisors: options.supervisors,
    paint,
    stream: io.stdout,
    eta: (state) => runEta(state, options.supervisors, options.order, options.history),
  });
  let live = true;
  const notice = (text: string) => (live ? view.notice(text) : stderr(text));
  const restoreWarnings = routeWarnings((text) => notice(paint.yellow(text)));
  view.start();
  return {
    handle: (e) => view.handle(e),
    notice,
    async stop() {
      await view.stop();
      live = false;
      restoreWarnings();
    },
  };
}

/**
 * Send process warnings to `notice` instead of Node's own handler (which writes to stderr);
 * returns the function that puts Node's handler back.
 */
function routeWarnings(notice: (text: string) => void): () => void {
  const previous = process.listeners('warning');
  const onWarning = (warning: Error) => {
    const code = (warning as NodeJS.ErrnoException).code;
    notice(`warning: ${code ? `[${code}] ` : ''}${warning.message}`);
  };
  for (const l of previous) process.off('warning', l);
  process.on('warning', onWarning);
  return () => {
    process.off('warning', onWarning);
    for (const l of previous) process.on('warning', l);
  };
}
