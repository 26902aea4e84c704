import type { Supervisor } from '../supervisor.js';
import { probeAlive } from './supervisor-ops.js';

/** Number of failed probe tries after which a supervisor counts as dead. */
export const PROBE_TRIES = 3;

/**
 * Periodic liveness probe of one supervisor life: every `intervalMs` (0 disables it), up to
 * `PROBE_TRIES` tries of `timeoutMs` each; calls `onDead` once when all tries fail, then stops.
 */
export class Prober {
  readonly #controller = new AbortController();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #stopped = false;

  constructor(
    private readonly supervisor: Supervisor,
    private readonly intervalMs: number,
    private readonly timeoutMs: number,
    private readonly onDead: () => void,
  ) {
    if (intervalMs > 0) this.#schedule();
  }

  /** Stop probing (aborts a probe in flight). Idempotent. */
  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#controller.abort();
  }

  #schedule(): void {
    this.#timer = setTimeout(() => {
      void this.#tick();
    }, this.intervalMs);
  }

  async #tick(): Promise<void> {
    const alive = await probeAlive(
      this.supervisor,
      this.timeoutMs,
      PROBE_TRIES,
      this.#controller.signal,
    );
    if (this.#stopped) return;
    if (alive) {
      this.#schedule();
      return;
    }
    this.#stopped = true;
    this.onDead();
  }
}
