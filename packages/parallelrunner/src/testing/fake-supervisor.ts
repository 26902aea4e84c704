import { mkdir, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { BaseSupervisor } from '../base-supervisor.js';
import { SupervisorDiedError } from '../errors.js';
import type {
  CollectedArtifact,
  ExecOptions,
  ExecResult,
  ProbeOptions,
  TraceHandle,
} from '../supervisor.js';
import type { CommandSpec } from '../test.js';
import { delay } from '../util/abort.js';
import { type FakeExecRecord, FakeLedger } from './ledger.js';
import { type Prng, createPrng } from './prng.js';
import { type FakeBehavior, type FakeChunk, type FakeScript, pick } from './script.js';
import { playStream } from './stream.js';

type End = Exclude<FakeExecRecord['end'], 'running'>;

/**
 * A scripted `Supervisor` for tests and examples: slow or failing starts, commands that take
 * time, fail, hang, crash the supervisor or break the contract, failing probes and stops. It
 * records what ran where in a `FakeLedger` (shared between fakes to check a command never ran
 * concurrently with itself) and whether anything is still running.
 */
export class FakeSupervisor extends BaseSupervisor {
  /** How it behaves (default `{}`: starts at once, every command exits 0 at once). */
  readonly script: FakeScript;
  /** Where its execs and traces are recorded (possibly shared with other fakes). */
  readonly ledger: FakeLedger;
  /** Number of `start` calls that reached `doStart`. */
  starts = 0;
  /** Number of completed `doStop` calls. */
  stops = 0;
  #dead = false;
  #probes = 0;
  #readyAt = 0;
  readonly #invocations = new Map<string, number>();
  readonly #kills = new Set<() => void>();
  #tracesRunning = 0;
  readonly #random: Prng | undefined;

  /** @param ledger shared record of execs; default: a ledger of its own. */
  constructor(name: string, script: FakeScript = {}, ledger: FakeLedger = new FakeLedger()) {
    super(name);
    this.script = script;
    this.ledger = ledger;
    this.#random = script.random ? createPrng(script.random.seed) : undefined;
  }

  /** It died (crash, silent death or `kill`) and was not restarted since. */
  get dead(): boolean {
    return this.#dead;
  }

  /** Something is still up: starting, ready, stopping, a command or a trace. */
  get running(): boolean {
    return (
      this.state === 'starting' ||
      this.state === 'ready' ||
      this.state === 'stopping' ||
      this.#kills.size > 0 ||
      this.#tracesRunning > 0
    );
  }

  /** Simulate a crash from outside: probes fail and commands are rejected until a restart. */
  kill(): void {
    this.#dead = true;
  }

  /** Play the next `script.start` entry (delay, failure or never settling); revives it. */
  protected async doStart(signal: AbortSignal): Promise<void> {
    const spec = pick(this.script.start, this.starts) ?? {};
    this.starts++;
    this.#dead = false;
    this.#probes = 0;
    if (spec.never)
      await new Promise<never>((_, reject) =>
        signal.addEventListener('abort', () => reject(signal.reason), { once: true }),
      );
    if (spec.delayMs) await delay(spec.delayMs, signal);
    if (spec.fail !== undefined) throw new Error(spec.fail);
    this.#readyAt = Date.now();
  }

  /** Kill running commands (they reject with `SupervisorDiedError`); fail if `stopFails`. */
  protected async doStop(): Promise<void> {
    for (const kill of [...this.#kills]) kill();
    this.stops++;
    if (this.script.stopFails !== undefined) throw new Error(this.script.stopFails);
  }

  /** The next `script.probes` answer (then `true`) after `probeDelayMs`; `false` when dead. */
  override async probe(options: ProbeOptions = {}): Promise<boolean> {
    if (this.state !== 'ready' || this.#dead) return false;
    const busyForMs = this.#unresponsiveFor();
    if (busyForMs > 0) {
      if (this.script.unresponsive?.fail) return false;
      // Unanswered until the spell ends (then a late answer) or the caller gives up.
      return delay(Math.min(busyForMs, 2 ** 31 - 1), options.signal).then(
        () => !this.#dead,
        () => false,
      );
    }
    const answer = this.script.probes?.[this.#probes++] ?? true;
    if (this.script.probeDelayMs) {
      const ok = await delay(this.script.probeDelayMs, options.signal).then(
        () => true,
        () => false,
      );
      if (!ok) return false;
    }
    return answer && !this.#dead;
  }

  /** Milliseconds left of the busy spell now; 0 outside it. */
  #unresponsiveFor(): number {
    const spell = this.script.unresponsive;
    if (!spell) return 0;
    const since = Date.now() - this.#readyAt - (spell.afterMs ?? 0);
    return since >= 0 && since < spell.forMs ? spell.forMs - since : 0;
  }

  /**
   * Play the behaviour scripted for `command.command` (see `FakeScript`); timeouts and aborts
   * resolve with `exitSignal: 'SIGKILL'`.
   *
   * @throws SupervisorDiedError when not ready, dead, crashing, or stopped while it runs.
   */
  async exec(command: CommandSpec, options: ExecOptions = {}): Promise<ExecResult> {
    if (this.state !== 'ready' || this.#dead) {
      throw new SupervisorDiedError(this.name, 'not running');
    }
    const behavior = this.#behaviorFor(command.command);
    const record = this.ledger.begin(this.name, command.command);
    if (behavior.stdout) options.onStdout?.(Buffer.from(behavior.stdout));
    if (behavior.stderr) options.onStderr?.(Buffer.from(behavior.stderr));
    if (behavior.dieSilently) this.#dead = true;
    return new Promise<ExecResult>((resolve, reject) => {
      const started = Date.now();
      const timers: ReturnType<typeof setTimeout>[] = [];
      const finish = (end: End, result?: Partial<ExecResult>, error?: Error) => {
        for (const t of timers) clearTimeout(t);
        options.signal?.removeEventListener('abort', onAbort);
        this.#kills.delete(kill);
        this.ledger.end(record, end);
        if (error) reject(error);
        else
          resolve({
            exitCode: null,
            exitSignal: null,
            timedOut: false,
            canceled: false,
            durationMs: Date.now() - started,
            ...result,
          });
      };
      const kill = () => finish('killed', undefined, new SupervisorDiedError(this.name, 'stopped'));
      const onAbort = () => {
        if (!behavior.ignoreAbort) finish('canceled', { canceled: true, exitSignal: 'SIGKILL' });
      };
      this.#kills.add(kill);
      if (options.signal?.aborted) return onAbort();
      options.signal?.addEventListener('abort', onAbort, { once: true });
      if (behavior.ignoreAbort) return;
      const duration = behavior.durationMs ?? 0;
      const endless = behavior.hang === true || behavior.dieSilently === true;
      const timeout = options.timeoutMs;
      const stream = behavior.stream ?? [];
      const write = (chunk: FakeChunk) => {
        if (chunk.stdout) options.onStdout?.(Buffer.from(chunk.stdout));
        if (chunk.stderr) options.onStderr?.(Buffer.from(chunk.stderr));
      };
      if (timeout !== undefined && (endless || duration > timeout)) {
        playStream(stream, started, timers, write);
        timers.push(
          setTimeout(() => finish('timeout', { timedOut: true, exitSignal: 'SIGKILL' }), timeout),
        );
        return;
      }
      if (endless) return playStream(stream, started, timers, write);
      const complete = () => {
        if (!behavior.crash) return finish('exit', { exitCode: behavior.exitCode ?? 0 });
        this.#dead = true;
        const evidence = behavior.evidence;
        finish(
          'crash',
          undefined,
          new SupervisorDiedError(this.name, 'crashed', evidence === undefined ? {} : { evidence }),
        );
      };
      // The command ends after the output due before its end has been written.
      const settle = () => {
        const left = duration - (Date.now() - started);
        if (left > 0) timers.push(setTimeout(complete, left));
        else queueMicrotask(complete);
      };
      const due = stream.filter((chunk) => chunk.atMs <= duration);
      playStream(due, started, timers, write, settle);
    });
  }

  /** Write the `script.files` among `paths` into `destDir`; rejects if `collectFails`. */
  async collect(paths: readonly string[], destDir: string): Promise<CollectedArtifact[]> {
    if (this.script.collectFails !== undefined) throw new Error(this.script.collectFails);
    const out: CollectedArtifact[] = [];
    for (const remotePath of paths) {
      const content = this.script.files?.[remotePath];
      if (content === undefined) continue;
      await mkdir(destDir, { recursive: true });
      const localPath = join(destDir, basename(remotePath));
      await writeFile(localPath, content);
      out.push({ remotePath, localPath, bytes: Buffer.byteLength(content) });
    }
    return out;
  }

  /** A trace that writes `script.traceText` to `destFile` when stopped. */
  async trace(command: string, destFile: string): Promise<TraceHandle> {
    const record = this.ledger.begin(this.name, `trace: ${command}`);
    this.#tracesRunning++;
    let stopped = false;
    return {
      stop: async () => {
        if (stopped) return;
        stopped = true;
        await writeFile(destFile, this.script.traceText ?? '');
        this.#tracesRunning--;
        this.ledger.end(record, 'exit');
      },
    };
  }

  #behaviorFor(command: string): FakeBehavior {
    const invocation = this.#invocations.get(command) ?? 0;
    this.#invocations.set(command, invocation + 1);
    const scripted =
      pick(this.script.commands?.[command], invocation) ??
      this.script.onExec?.(command, invocation);
    if (scripted) return scripted;
    const random = this.#random;
    const r = this.script.random;
    if (!random || !r) return this.script.default ?? {};
    const roll = random();
    const crashRate = r.crashRate ?? 0;
    return {
      durationMs: Math.floor(random() * ((r.maxDurationMs ?? 0) + 1)),
      crash: roll < crashRate,
      exitCode: roll >= crashRate && roll < crashRate + (r.failRate ?? 0) ? 1 : 0,
    };
  }
}
