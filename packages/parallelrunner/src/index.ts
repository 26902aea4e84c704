// The public API of @ff/parallelrunner: what a user needs to define tests and supervisors, run
// them, and read, compare and report results. Internal modules import each other directly.
export * from './errors.js';
export type * from './test.js';
export type * from './supervisor.js';
export type * from './events.js';
export type * from './sink.js';
export type * from './batch/batcher.js';
export type { RunSummary, SupervisorReport, SupervisorStats } from './summary.js';
export { BaseSupervisor, type SupervisorState } from './base-supervisor.js';
export { LocalSupervisor, type LocalSupervisorOptions } from './local-supervisor.js';
export { Runner } from './runner/runner.js';
export { CRASH_EVIDENCE_FILE } from './runner/attempt-io.js';
export type { RunnerOptions, TraceSpec } from './runner/options.js';
export {
  schedule,
  type Schedule,
  type ScheduleOptions,
  type ScheduleOrder,
} from './schedule/schedule.js';
export { median } from './schedule/durations.js';
export { type EtaInput, type EtaWorker, estimateRemainingMs } from './schedule/eta.js';
export { randomSeed, seededRandom, shuffleInPlace } from './schedule/random.js';
export { ResultsStore, type ResultsStoreOptions } from './results/store.js';
export { testIdFromPath, testPath } from './results/test-path.js';
export type { LoadedRun } from './results/load.js';
export type { ResolvedSource } from './results/sources.js';
export type { Recording } from './results/record.js';
export type {
  RecordingInfo,
  RunManifest,
  RunSelection,
  StoredSupervisor,
} from './results/manifest.js';
export { DurationHistory } from './results/history.js';
export { RESULTS_SCHEMA, ResultsLayout } from './results/layout.js';
export {
  compare,
  type CompareOptions,
  type ComparedSide,
  type Comparison,
  type PresentTest,
  type StatusChange,
  type TestCount,
  type TimingChange,
} from './results/compare.js';
export { formatComparison } from './results/format-comparison.js';
export { junitXml, type JunitOptions } from './reports/junit.js';
export {
  jsonReport,
  type JsonReport,
  type JsonReportAttempt,
  type JsonReportSupervisor,
  type JsonReportTest,
} from './reports/json-report.js';
export {
  summaryData,
  type HistogramBucket,
  type SummaryData,
  type SummaryDataOptions,
  type SupervisorUtilisation,
} from './reports/summary-data.js';
export { shellQuote } from './util/shell.js';
export { delay, raceAbort } from './util/abort.js';
