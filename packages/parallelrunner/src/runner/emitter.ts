import { describeCause } from '../errors.js';
import type { RunnerEvent, RunnerListener } from '../events.js';

/**
 * Delivers runner events to listeners. A listener that throws never breaks the run: the first
 * such exception is reported once as a process warning, later ones are swallowed.
 */
export class EventEmitter {
  #listeners: RunnerListener[] = [];
  #warned = false;

  /** Subscribe; returns the unsubscribe function. */
  on(listener: RunnerListener): () => void {
    this.#listeners = [...this.#listeners, listener];
    return () => {
      this.#listeners = this.#listeners.filter((l) => l !== listener);
    };
  }

  emit(event: RunnerEvent): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch (error) {
        if (!this.#warned) {
          this.#warned = true;
          process.emitWarning(
            `a runner event listener threw on ${event.type}: ${describeCause(error)} (further listener errors are ignored)`,
            { code: 'FF_LISTENER_ERROR' },
          );
        }
      }
    }
  }
}
