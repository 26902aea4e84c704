export { runDoctor, doctorPassed } from './run-doctor.js';
export { systemProbes } from './probes.js';
export type { DoctorCheck, DoctorOptions, DoctorProbes, ProbeRun } from './types.js';
