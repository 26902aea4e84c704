export * from './errors.js';
export type * from './test.js';
export type * from './supervisor.js';
export type * from './events.js';
export type * from './sink.js';
export type * from './batch/batcher.js';
export type { RunSummary, SupervisorReport } from './summary.js';
export { countStatuses } from './summary.js';
export { BaseSupervisor, type SupervisorState } from './base-supervisor.js';
export { LocalSupervisor, type LocalSupervisorOptions } from './local-supervisor.js';
export {
  CRASH_EVIDENCE_FILE,
  Runner,
  type RunnerOptions,
  type TraceSpec,
} from './runner/index.js';
export * from './schedule/index.js';
export * from './results/index.js';
export * from './reports/index.js';
export { shellQuote } from './util/shell.js';
export { delay, raceAbort } from './util/abort.js';
