export type {
  Attribution,
  BatchContext,
  BatchDispatch,
  Batcher,
  BatchingOptions,
} from './batcher.js';
export {
  RESERVE_STARTUPS,
  TAIL_RESERVE,
  batchBudgetMs,
  planBatch,
  type BudgetInput,
  type PlanItem,
  type PlanLimits,
} from './plan.js';
