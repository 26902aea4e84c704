import type { Supervisor } from '../supervisor.js';
import { type ProbePolicy, probeAlive } from './supervisor-ops.js';

/**
 * Periodic liveness probe of one supervisor life: a probe every `intervalMs` (0 disables it); a
 * failed probe is retried `retries` times, `retryIntervalMs` apart, each try bounded by
 * `timeoutMs`. Any answer resets the count. Calls `onDead` once when a probe and all its
 * retries failed, then stops.
 */
export class Prober {
  readonly #controller = new AbortController();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #stopped = false;

  constructor(
    private readonly supervisor: Supervisor,
    private readonly intervalMs: number,
    private readonly policy: ProbePolicy,
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
    const alive = await probeAlive(this.supervisor, this.policy, this.#controller.signal);
    if (this.#stopped) return;
    if (alive) {
      this.#schedule();
      return;
    }
    this.#stopped = true;
    this.onDead();
  }
}
