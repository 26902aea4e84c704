/**
 * From a validated configuration to the parts of a run: the selection options, the supervisors
 * and the runner options. The CLI wires these together; library users can do the same.
 */
export {
  AUTO_BATCH_TARGET_MS,
  DMESG_FOLLOW,
  batchingFromConfig,
  runnerOptionsFromConfig,
  selectionFromConfig,
} from './run-options.js';
export {
  type PlannedSupervisor,
  type VmPlanOptions,
  hostSupervisors,
  prepareMkosi,
  vmSupervisors,
} from './supervisors.js';
export { doctorOptionsFromConfig, supervisorChecks } from './doctor.js';
