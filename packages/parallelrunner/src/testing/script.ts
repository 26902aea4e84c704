/** How a fake supervisor behaves on one start. */
export interface FakeStart {
  /** Milliseconds before it is ready (or fails). Default `0`. */
  readonly delayMs?: number;
  /** Fail the start with this message. */
  readonly fail?: string;
  /** Never settle (until aborted by the caller's signal or timeout). */
  readonly never?: boolean;
}

/** How a fake supervisor runs one command. */
export interface FakeBehavior {
  /** Milliseconds the command takes. Default `0` (settles on the next microtask). */
  readonly durationMs?: number;
  /** Exit code. Default `0`. */
  readonly exitCode?: number | null;
  /** Text written to stdout when the command starts. Default: none. */
  readonly stdout?: string;
  /** Text written to stderr when the command starts. Default: none. */
  readonly stderr?: string;
  /** Output written while the command runs, each chunk `atMs` after it started. Default: none. */
  readonly stream?: readonly FakeChunk[];
  /** Run until the signal aborts or the timeout passes. */
  readonly hang?: boolean;
  /** After `durationMs`, reject with `SupervisorDiedError` and stay dead until restarted. */
  readonly crash?: boolean;
  /** Evidence attached to the crash (e.g. a console excerpt). */
  readonly evidence?: string;
  /** Die without telling: hang, and fail every probe until restarted. */
  readonly dieSilently?: boolean;
  /** Break the contract: never settle, not even when aborted (settled by `stop`). */
  readonly ignoreAbort?: boolean;
}

/** A time window, measured from the moment a start finished, in which probes do not answer. */
export interface FakeUnresponsive {
  /** Milliseconds after the start when the spell begins. Default `0`. */
  readonly afterMs?: number;
  /** How long it lasts, in milliseconds (`Infinity`: until the next restart). */
  readonly forMs: number;
  /** Fail probes at once instead of leaving them unanswered. Default `false`. */
  readonly fail?: boolean;
}

/** A piece of output a fake command writes while it runs. */
export interface FakeChunk {
  /** Milliseconds after the command started; a chunk due after the command ended is not written. */
  readonly atMs: number;
  readonly stdout?: string;
  readonly stderr?: string;
}

/** Random behaviour for commands the script does not name. */
export interface FakeRandom {
  /** Seed of the generator (a 32-bit integer): the same seed gives the same behaviour. */
  readonly seed: number;
  /** Probability that a command crashes the supervisor. Default `0`. */
  readonly crashRate?: number;
  /** Probability that a command exits 1. Default `0`. */
  readonly failRate?: number;
  /** Durations are drawn uniformly from [0, maxDurationMs]. Default `0`. */
  readonly maxDurationMs?: number;
}

/** The script of a `FakeSupervisor`. Arrays are consumed in order; their last entry repeats. */
export interface FakeScript {
  /** Behaviour of each start (restarts included). Default: ready at once. */
  readonly start?: FakeStart | readonly FakeStart[];
  /** Behaviour per command line (a `fakeTest`'s command is its id). */
  readonly commands?: Readonly<Record<string, FakeBehavior | readonly FakeBehavior[]>>;
  /** Behaviour for other commands; called with the command and how often it ran here before. */
  readonly onExec?: (command: string, invocation: number) => FakeBehavior | undefined;
  /** Behaviour for every other command. Default: exit 0 at once (or `random` when given). */
  readonly default?: FakeBehavior;
  /** Seeded random behaviour for commands not named in `commands`/`onExec`. */
  readonly random?: FakeRandom;
  /** Results of probes while alive, in order; then `true`. E.g. `[false, false, false]`. */
  readonly probes?: readonly boolean[];
  /** Milliseconds each probe takes. Default `0`. */
  readonly probeDelayMs?: number;
  /**
   * A busy spell after each start: probes made in it do not answer (they hang until the
   * caller gives up) or, with `fail`, fail at once. Commands keep running.
   */
  readonly unresponsive?: FakeUnresponsive;
  /** `stop` rejects with this message (after stopping). */
  readonly stopFails?: string;
  /** Files `collect` can fetch: remote path -> content. Other paths are missing. */
  readonly files?: Readonly<Record<string, string>>;
  /** `collect` rejects with this message. */
  readonly collectFails?: string;
  /** Text a trace writes to its file. Default `''`. */
  readonly traceText?: string;
}

/** Entry `index` of `value` (a single value or a list whose last entry repeats). */
export function pick<T extends object>(
  value: T | readonly T[] | undefined,
  index: number,
): T | undefined {
  if (value === undefined) return undefined;
  if (!isList(value)) return value;
  return value[Math.min(index, value.length - 1)];
}

function isList<T>(value: T | readonly T[]): value is readonly T[] {
  return Array.isArray(value);
}
