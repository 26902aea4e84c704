import type {
  CollectedArtifact,
  CommandSpec,
  ExecOptions,
  ExecResult,
  Supervisor,
  TraceHandle,
} from '../../src/index.js';

/** How the rogue's `start` behaves. */
export type StartMode = 'ok' | 'never' | 'throw-plain';
/** How the rogue's `stop` behaves. */
export type StopMode = 'ok' | 'throw' | 'never';
/**
 * How the rogue's `exec` behaves:
 * - `ok`: exit 0 after `okMs`;
 * - `never`: never settle, whatever happens to the signal;
 * - `late`: ignore the signal and resolve `lateMs` after it aborted, as if nothing happened;
 * - `uncanceled`: on abort resolve at once, but with `canceled: false` and exit 0;
 * - `reject-plain`: reject with a plain `Error` instead of `SupervisorDiedError`.
 */
export type ExecMode = 'ok' | 'never' | 'late' | 'uncanceled' | 'reject-plain';

/** Options of `RogueSupervisor`. */
export interface RogueOptions {
  readonly start?: StartMode;
  readonly stop?: StopMode;
  /** Behaviour per command; default `ok`. */
  readonly exec?: Readonly<Record<string, ExecMode>>;
  /** Delay for `late`. Default 200 ms. */
  readonly lateMs?: number;
  /** How long an `ok` command takes. Default 0 ms. */
  readonly okMs?: number;
}

const OK: ExecResult = {
  exitCode: 0,
  exitSignal: null,
  timedOut: false,
  canceled: false,
  durationMs: 1,
};

/**
 * A third-party `Supervisor` written against the public interface only (not `BaseSupervisor`),
 * which breaks the contract in the ways `RogueOptions` choose. Counts what the runner did to it.
 */
export class RogueSupervisor implements Supervisor {
  starts = 0;
  stops = 0;
  readonly execs: string[] = [];

  constructor(
    readonly name: string,
    private readonly options: RogueOptions = {},
  ) {}

  start(): Promise<void> {
    this.starts++;
    const mode = this.options.start ?? 'ok';
    if (mode === 'never') return new Promise<void>(() => undefined);
    if (mode === 'throw-plain') return Promise.reject(new Error('boot loader exploded'));
    return Promise.resolve();
  }

  exec(command: CommandSpec, options: ExecOptions = {}): Promise<ExecResult> {
    this.execs.push(command.command);
    const mode = this.options.exec?.[command.command] ?? 'ok';
    const signal = options.signal;
    switch (mode) {
      case 'ok':
        return new Promise((resolve) => setTimeout(() => resolve(OK), this.options.okMs ?? 0));
      case 'never':
        return new Promise<ExecResult>(() => undefined);
      case 'reject-plain':
        return Promise.reject(new TypeError('cannot read properties of undefined'));
      case 'late':
      case 'uncanceled':
        return new Promise<ExecResult>((resolve) => {
          const delayMs = mode === 'late' ? (this.options.lateMs ?? 200) : 0;
          signal?.addEventListener('abort', () => setTimeout(() => resolve(OK), delayMs), {
            once: true,
          });
        });
    }
  }

  async probe(): Promise<boolean> {
    return true;
  }

  async collect(): Promise<CollectedArtifact[]> {
    return [];
  }

  async trace(): Promise<TraceHandle> {
    return { stop: async () => undefined };
  }

  stop(): Promise<void> {
    this.stops++;
    if (this.options.stop === 'throw') return Promise.reject(new Error('teardown exploded'));
    if (this.options.stop === 'never') return new Promise<void>(() => undefined);
    return Promise.resolve();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.stop();
  }
}
