/**
 * From a validated configuration to the parts of a run: the selection options, the supervisors
 * and the runner options. The CLI wires these together; library users can do the same.
 */
export { DMESG_FOLLOW, runnerOptionsFromConfig, selectionFromConfig } from './run-options.js';
export {
  type PlannedSupervisor,
  type VmPlanOptions,
  hostSupervisors,
  prepareMkosi,
  vmSupervisors,
} from './supervisors.js';
export { doctorOptionsFromConfig, supervisorChecks } from './doctor.js';
