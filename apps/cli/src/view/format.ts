import type { TestResult, TestStatus } from '@ff/parallelrunner';

/** Whether to colour output: never with NO_COLOR, never when the stream is not a terminal. */
export function useColor(
  stream: NodeJS.WriteStream,
  env: NodeJS.ProcessEnv = process.env,
): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true;
}

const CODES = {
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  cyan: [36, 39],
  dim: [2, 22],
  bold: [1, 22],
} as const;

/** A colour function set; identity functions when colour is off. */
export type Paint = Record<keyof typeof CODES, (text: string) => string>;

export function makePaint(enabled: boolean): Paint {
  const entries = Object.entries(CODES).map(([name, [open, close]]) => [
    name,
    enabled ? (t: string) => `\u001b[${open}m${t}\u001b[${close}m` : (t: string) => t,
  ]);
  return Object.fromEntries(entries) as Paint;
}

/**
 * `4.1s`, `42s`, `2m05s`, `1h02m`. Rounded once, to the unit shown, before it is split: 59.6 s
 * is `1m00s` and 119.6 s `2m00s` (never `60s` or `1m60s`).
 */
export function formatDuration(ms: number): string {
  const tenths = Math.round(Math.max(0, ms) / 100);
  if (tenths < 100) return `${(tenths / 10).toFixed(1)}s`;
  const s = Math.round(Math.max(0, ms) / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  const h = Math.floor(m / 60);
  return `${h}h${String(m % 60).padStart(2, '0')}m`;
}

export function paintStatus(paint: Paint, status: TestStatus): string {
  const label = status.toUpperCase().padEnd(5);
  switch (status) {
    case 'pass':
      return paint.green(label);
    case 'fail':
      return paint.red(label);
    case 'error':
      return paint.red(paint.bold(label));
    case 'skip':
      return paint.yellow(label);
  }
}

/** One line for a finished test: status, id, duration, supervisor, summary. */
export function resultLine(
  paint: Paint,
  r: TestResult & { flaky?: boolean; retries?: number },
): string {
  const extras: string[] = [];
  if (r.timedOut && !r.summary.includes('timed out')) extras.push('timed out');
  if (r.canceled) extras.push('canceled');
  if (r.flaky) extras.push('flaky');
  else if (r.retries) extras.push(`${r.retries} retries`);
  const tail = [r.summary, ...extras].filter((s) => s !== '').join('; ');
  return `${paintStatus(paint, r.status)} ${r.testId} ${paint.dim(`${formatDuration(r.durationMs)} on ${r.supervisor}`)}${tail ? ` ${tail}` : ''}`;
}
