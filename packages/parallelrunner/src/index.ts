export * from './errors.js';
export type * from './test.js';
export type * from './supervisor.js';
export type * from './events.js';
export type * from './sink.js';
export type { RunSummary, SupervisorReport } from './summary.js';
export { countStatuses } from './summary.js';
export { BaseSupervisor, type SupervisorState } from './base-supervisor.js';
export { delay, raceAbort } from './util/abort.js';
