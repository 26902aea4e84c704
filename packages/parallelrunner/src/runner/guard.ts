import { SupervisorContractError } from '../errors.js';

/** How a guarded promise settled. */
export type Settled<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: unknown };

/** Options of `settleGuarded`. */
export interface GuardOptions {
  /** Once it aborts, the promise has `graceMs` left to settle. */
  readonly signal?: AbortSignal;
  readonly graceMs: number;
  /** When given, the promise has `limitMs + graceMs` in total. */
  readonly limitMs?: number;
  /** Supervisor blamed in the `SupervisorContractError`. */
  readonly supervisor: string;
  /** What is awaited, for the message (`exec`, `trace stop`). */
  readonly what: string;
}

/**
 * Wait for `promise`, but not forever: past the limits in `options` settle with a
 * `SupervisorContractError` (the supervisor broke its promise to settle). Never rejects; the
 * abandoned promise's rejection is handled.
 */
export function settleGuarded<T>(promise: Promise<T>, options: GuardOptions): Promise<Settled<T>> {
  const { signal, graceMs, limitMs, supervisor, what } = options;
  return new Promise((resolve) => {
    let graceTimer: ReturnType<typeof setTimeout> | undefined;
    let limitTimer: ReturnType<typeof setTimeout> | undefined;
    const done = (settled: Settled<T>) => {
      clearTimeout(graceTimer);
      clearTimeout(limitTimer);
      signal?.removeEventListener('abort', onAbort);
      resolve(settled);
    };
    const fail = (why: string) =>
      done({ ok: false, error: new SupervisorContractError(supervisor, why) });
    const onAbort = () => {
      graceTimer = setTimeout(
        () => fail(`${what} did not settle within ${graceMs}ms after its signal aborted`),
        graceMs,
      );
    };
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
    if (limitMs !== undefined) {
      limitTimer = setTimeout(
        () => fail(`${what} did not settle within ${limitMs + graceMs}ms`),
        limitMs + graceMs,
      );
    }
    promise.then(
      (value) => done({ ok: true, value }),
      (error: unknown) => done({ ok: false, error }),
    );
  });
}
