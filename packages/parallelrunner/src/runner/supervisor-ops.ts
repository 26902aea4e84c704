import {
  ParallelRunnerError,
  SupervisorContractError,
  SupervisorStartError,
  SupervisorStartTimeoutError,
  SupervisorStopError,
  describeCause,
} from '../errors.js';
import type { Supervisor } from '../supervisor.js';
import { delay, raceAbort } from '../util/abort.js';

/**
 * Start `supervisor`, enforcing `timeoutMs` with the runner's own timer (a supervisor whose
 * start never settles cannot hang the run). `0` disables the timeout. Rejects with
 * `SupervisorStartTimeoutError`, a `SupervisorStartError` wrapping a foreign error, or
 * `signal.reason` when `signal` aborts first.
 */
export async function startWithin(
  supervisor: Supervisor,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<void> {
  const controller = new AbortController();
  const onAbort = () => controller.abort(signal.reason);
  if (signal.aborted) onAbort();
  else signal.addEventListener('abort', onAbort, { once: true });
  const timer =
    timeoutMs > 0
      ? setTimeout(
          () => controller.abort(new SupervisorStartTimeoutError(supervisor.name, timeoutMs)),
          timeoutMs,
        )
      : undefined;
  try {
    const started = Promise.resolve().then(() =>
      supervisor.start({ signal: controller.signal, ...(timeoutMs > 0 ? { timeoutMs } : {}) }),
    );
    // A start abandoned on timeout or cancel may still reject later: that is not unhandled.
    started.catch(() => undefined);
    await raceAbort(started, controller.signal);
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    if (controller.signal.aborted) throw controller.signal.reason;
    if (error instanceof ParallelRunnerError) throw error;
    throw new SupervisorStartError(supervisor.name, describeCause(error), { cause: error });
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', onAbort);
  }
}

/**
 * Stop `supervisor`; a failure is returned as `SupervisorStopError`, and a stop that does not
 * settle within `timeoutMs` (`0`: unbounded) as `SupervisorContractError`; never thrown.
 */
export async function stopSafely(
  supervisor: Supervisor,
  timeoutMs: number,
): Promise<SupervisorStopError | SupervisorContractError | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    if (timeoutMs > 0) timer = setTimeout(() => resolve('late'), timeoutMs);
  });
  try {
    const stopping = Promise.resolve().then(() => supervisor.stop());
    // A stop given up on may still reject later: that is not an unhandled rejection.
    stopping.catch(() => undefined);
    if ((await Promise.race([stopping, late])) === 'late') {
      return new SupervisorContractError(
        supervisor.name,
        `stop did not settle within ${Math.round(timeoutMs / 100) / 10}s`,
      );
    }
    return undefined;
  } catch (error) {
    return new SupervisorStopError(supervisor.name, { cause: error });
  } finally {
    clearTimeout(timer);
  }
}

/** How the runner decides that a supervisor no longer answers. */
export interface ProbePolicy {
  /** How long one probe may take, in ms (`0`: unbounded). */
  readonly timeoutMs: number;
  /** How often a failed probe is tried again before the supervisor counts as dead. */
  readonly retries: number;
  /** Pause between a failed probe and its retry, in ms. */
  readonly retryIntervalMs: number;
}

/** Why `probeAlive` gave up, for the `supervisor:died` reason. */
export function describeProbeFailure(policy: ProbePolicy): string {
  const tries = policy.retries + 1;
  const spacing = policy.retryIntervalMs / 1000;
  return tries === 1
    ? 'did not answer a liveness probe'
    : `did not answer ${tries} liveness probes ${spacing}s apart`;
}

/**
 * Probe once, then retry a failed probe `policy.retries` times, `policy.retryIntervalMs` apart,
 * each try bounded by `policy.timeoutMs`. Resolves `true` as soon as one probe answers, `false`
 * when all fail. When `signal` aborts it resolves `true`: a cancelled probe says nothing about
 * the supervisor.
 */
export async function probeAlive(
  supervisor: Supervisor,
  policy: ProbePolicy,
  signal?: AbortSignal,
): Promise<boolean> {
  for (let i = 0; i <= policy.retries; i++) {
    if (i > 0 && policy.retryIntervalMs > 0) {
      const waited = await delay(policy.retryIntervalMs, signal).then(
        () => true,
        () => false,
      );
      if (!waited) return true;
    }
    if (signal?.aborted) return true;
    if (await probeOnce(supervisor, policy.timeoutMs, signal)) return true;
  }
  return signal?.aborted === true;
}

async function probeOnce(
  supervisor: Supervisor,
  timeoutMs: number,
  signal: AbortSignal | undefined,
): Promise<boolean> {
  const controller = new AbortController();
  const timer =
    timeoutMs > 0
      ? setTimeout(() => controller.abort(new Error('probe timed out')), timeoutMs)
      : undefined;
  const probeSignal = signal ? AbortSignal.any([signal, controller.signal]) : controller.signal;
  try {
    const probing = Promise.resolve().then(() =>
      supervisor.probe({ signal: probeSignal, ...(timeoutMs > 0 ? { timeoutMs } : {}) }),
    );
    probing.catch(() => undefined);
    return (await raceAbort(probing, probeSignal)) === true;
  } catch {
    // A probe that throws or times out counts as a failed try.
    return false;
  } finally {
    clearTimeout(timer);
  }
}
