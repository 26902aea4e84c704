/**
 * From a validated configuration to the parts of a run: `planRun` gives the ordered tests, the
 * supervisors and the runner options; the supervisor kinds are registered here.
 */
export {
  AUTO_BATCH_TARGET_MS,
  DMESG_FOLLOW,
  batchingFromConfig,
  runnerOptionsFromConfig,
  selectionFromConfig,
} from './run-options.js';
export {
  type VmPlanOptions,
  hostSupervisors,
  planSupervisors,
  prepareSupervisors,
  vmSupervisors,
} from './supervisors.js';
export {
  type KindPlanContext,
  type KindPrepareContext,
  type PlannedSupervisor,
  type SupervisorKind,
  registerSupervisorKind,
  supervisorKinds,
} from './kinds.js';
export { type OrderOptions, type Ordered, orderTests } from './order.js';
export { type Failures, pickFailures, rerunSelection } from './rerun.js';
export {
  type PlanRunOptions,
  type PlannedRunnerOptions,
  type RunHistory,
  type RunPlan,
  MIN_START_TIMEOUT_MS,
  planRun,
  storeHistory,
} from './plan-run.js';
export { doctorOptionsFromConfig, supervisorChecks } from './doctor.js';
