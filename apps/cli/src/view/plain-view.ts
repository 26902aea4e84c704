import type { RunnerEvent } from '@ff/parallelrunner';
import { type Paint, formatDuration, resultLine } from './format.js';
import { RunState } from './run-state.js';

/** Renders a run as one line per event: for CI logs and anything that is not a terminal. */
export class PlainView {
  readonly state: RunState;

  constructor(
    total: number,
    private readonly paint: Paint,
    private readonly write: (line: string) => void,
    private readonly now: () => number = Date.now,
  ) {
    this.state = new RunState(total, now);
  }

  handle(event: RunnerEvent): void {
    this.state.apply(event);
    const line = this.describe(event);
    if (line !== undefined) {
      const elapsed = formatClock(this.now() - this.state.startedAt);
      this.write(`${this.paint.dim(`[${elapsed}]`)} ${line}`);
    }
  }

  private describe(event: RunnerEvent): string | undefined {
    const p = this.paint;
    switch (event.type) {
      case 'supervisor:starting':
        return `${event.supervisor}: ${event.restart ? 'restarting' : 'starting'}`;
      case 'supervisor:ready':
        return `${event.supervisor}: ready after ${formatDuration(event.startupMs)}`;
      case 'supervisor:failed':
        return p.red(`${event.supervisor}: left the run: ${event.error.message}`);
      case 'supervisor:died':
        return p.red(
          `${event.supervisor}: died${event.testId ? ` running ${event.testId}` : ''}: ${event.reason}`,
        );
      case 'supervisor:restarted':
        return `${event.supervisor}: restarted (${event.restarts} so far)`;
      case 'supervisor:stopped':
        return event.error
          ? p.yellow(`${event.supervisor}: stop failed: ${event.error.message}`)
          : undefined;
      case 'test:started':
        return undefined;
      case 'test:retried':
        return p.yellow(
          `${event.result.testId}: attempt ${event.result.attempt} ${event.result.status}, retrying (${event.result.summary})`,
        );
      case 'test:rescheduled':
        return p.yellow(`${event.result.testId}: rescheduled, ${event.result.supervisor} died`);
      case 'test:finished': {
        const s = this.state;
        return `${resultLine(p, event.result)} ${p.dim(`(${s.finished}/${s.total})`)}`;
      }
      case 'run:finished':
        return `run finished in ${formatDuration(event.summary.finishedAt - event.summary.startedAt)}`;
    }
  }
}

/** `mm:ss` or `h:mm:ss`. */
export function formatClock(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const mmss = `${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
  return h > 0 ? `${h}:${mmss}` : mmss;
}
