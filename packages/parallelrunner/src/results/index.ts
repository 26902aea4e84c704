export { ResultsStore, type ResultsStoreOptions } from './store.js';
export { assertSafeLabel, assertSafeSegment, assertSafeTestId, isSafe } from './names.js';
export { testIdFromPath, testPath } from './test-path.js';
export { type LoadedRun, loadRun } from './load.js';
export {
  listRecordings,
  listRuns,
  latestRunId,
  resolveSource,
  type RecordingEntry,
  type ResolvedSource,
} from './sources.js';
export type { Recording } from './record.js';
export type { RunManifest, RunSelection, StoredSupervisor, RecordingInfo } from './manifest.js';
export { DurationHistory, HISTORY_KEEP } from './history.js';
export { ResultsLayout, RESULTS_SCHEMA } from './layout.js';
export {
  compare,
  type CompareOptions,
  type Comparison,
  type PresentTest,
  type StatusChange,
  type TestCount,
  type TimingChange,
} from './compare.js';
export { formatComparison } from './format-comparison.js';
export { writeFileAtomic, writeJsonAtomic, symlinkAtomic } from './atomic.js';
