/**
 * How the runner forms batches from its queue. Pure functions, shared by the runner and the
 * scheduling benchmark: long and unknown tests run alone, short ones are batched up to a budget
 * derived from a worker's fair share of the work still pending (so batches shrink as the run
 * nears its end and the tail stays balanced), capped by the target batch length.
 */

/** Largest fraction of a worker's fair share of the pending work kept back for the tail. */
export const TAIL_RESERVE = 0.3;
/**
 * The reserve shrinks when a share is less than this many dispatch start-ups: each extra round
 * of smaller batches then costs more start-up time than it saves in balance.
 */
export const RESERVE_STARTUPS = 20;

/** What the planner needs to know about the run when a worker asks for work. */
export interface BudgetInput {
  /** Estimated milliseconds of every test not yet finished (queued or running). */
  readonly pendingMs: number;
  /** Supervisors still serving the run. */
  readonly workers: number;
  /** Longest estimated length a batch may have, in ms (`Infinity`: no cap). */
  readonly targetMs: number;
  /** Measured cost of one dispatch (time to its first test), in ms; 0 when not known yet. */
  readonly startupMs: number;
}

/**
 * The estimated length, in ms, that the next batch may have: a worker's fair share of the
 * pending work less a reserve for the tail. The reserve is `TAIL_RESERVE` of the share while the
 * share is long against a dispatch's start-up, and shrinks in proportion below
 * `RESERVE_STARTUPS` start-ups; capped by `targetMs`.
 */
export function batchBudgetMs(input: BudgetInput): number {
  const share = input.pendingMs / Math.max(1, input.workers);
  const scale = input.startupMs > 0 ? share / (RESERVE_STARTUPS * input.startupMs) : 1;
  const reserve = TAIL_RESERVE * Math.min(1, scale);
  return Math.min(input.targetMs, share * (1 - reserve));
}

/** One queued test as the planner sees it. */
export interface PlanItem {
  /** Tests with equal keys may share a batch; `undefined`: this test always runs alone. */
  readonly key: string | undefined;
  /** Estimated duration in ms; `undefined` (never measured): it runs alone. */
  readonly estimateMs: number | undefined;
}

/** Limits of one `planBatch` call. */
export interface PlanLimits {
  /** The batch's estimated length may not exceed this (see `batchBudgetMs`). */
  readonly budgetMs: number;
  /** Most tests in one batch. */
  readonly maxTests: number;
  /** Most queue entries looked at beyond the head. */
  readonly maxScan: number;
}

/**
 * Which of `items` (in queue order, `items[0]` is the head) form the next dispatch: indexes into
 * `items`, the head first. The head runs alone when it is unbatchable, unknown or at least as
 * long as the budget; otherwise later items with its key join it while the batch's estimate
 * stays within the budget (an item that does not fit is passed over for smaller ones behind it)
 * and `canJoin` agrees.
 */
export function planBatch<T extends PlanItem>(
  items: readonly T[],
  limits: PlanLimits,
  canJoin: (batch: readonly T[], item: T) => boolean = () => true,
): number[] {
  const head = items[0];
  if (head === undefined) return [];
  const fits = (ms: number | undefined): ms is number => ms !== undefined && ms < limits.budgetMs;
  if (head.key === undefined || !fits(head.estimateMs)) return [0];
  const picked = [0];
  const batch: T[] = [head];
  let total = head.estimateMs;
  const end = Math.min(items.length, limits.maxScan + 1);
  for (let i = 1; i < end && picked.length < limits.maxTests; i++) {
    const item = items[i] as T;
    if (item.key !== head.key || !fits(item.estimateMs)) continue;
    if (total + item.estimateMs > limits.budgetMs || !canJoin(batch, item)) continue;
    picked.push(i);
    batch.push(item);
    total += item.estimateMs;
  }
  return picked;
}
