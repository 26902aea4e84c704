export * from './errors.js';
export { FSTest, fsTestsFromSelection, ARTIFACT_SUFFIXES } from './fstest.js';
export { CheckBatcher } from './check-batcher.js';
export { CheckStream, type StreamTest } from './parse/check-stream.js';
export type { FSTestOptions, FromSelectionOptions, FstestsDirOnSupervisor } from './fstest.js';
export { collectTests } from './collect/collect.js';
export type { SelectedTest, Selection, SelectionOptions } from './collect/collect.js';
export { scanCatalog } from './collect/catalog.js';
export type { Catalog, CatalogTest, ScanOptions } from './collect/catalog.js';
export { pickTests } from './collect/select.js';
export type { PickOptions } from './collect/select.js';
export { isTestFileName, parseTestPattern } from './collect/names.js';
export type { TestPattern } from './collect/names.js';
export { parseBeginFstest, parseGroupList } from './collect/groups.js';
export { parseExcludeFile } from './collect/exclude-file.js';
export { parseCheckOutput, FAILURE_KINDS } from './parse/check-output.js';
export type {
  CheckMarker,
  CheckMarkerKind,
  CheckOutput,
  CheckSummary,
  CheckTestBlock,
} from './parse/check-output.js';
export { blockVerdict, classifyCheckRun } from './parse/classify.js';
export type { RunFacts } from './parse/classify.js';
export {
  CONFIG_FILE_NAME,
  CONFIG_PATH_ENV,
  loadConfig,
  parseConfigText,
  validateConfig,
} from './config/load.js';
export type { LoadConfigOptions, LoadedConfig } from './config/load.js';
export { mergeConfig } from './config/merge.js';
export { ConfigSchema } from './config/schema.js';
export type { Config, ConfigInput } from './config/schema.js';
export { parseVms } from './config/vms.js';
export type { HostSpec } from './config/vms.js';
export { closestMatches } from './util/similar.js';
export * from './qemu/index.js';
export * from './mkosi/index.js';
export * from './doctor/index.js';
export * from './image/index.js';
export {
  type KindPlanContext,
  type KindPrepareContext,
  type OrderOptions,
  type Ordered,
  type PlanRunOptions,
  type PlannedRunnerOptions,
  type PlannedSupervisor,
  type RunHistory,
  type RunPlan,
  type SupervisorKind,
  type VmPlanOptions,
  batchingFromConfig,
  MIN_START_TIMEOUT_MS,
  doctorOptionsFromConfig,
  hostSupervisors,
  orderTests,
  planRun,
  planSupervisors,
  prepareSupervisors,
  registerSupervisorKind,
  runnerOptionsFromConfig,
  selectionFromConfig,
  storeHistory,
  supervisorChecks,
  supervisorKinds,
  vmSupervisors,
} from './plan/index.js';
