export { Runner } from './runner.js';
export { CRASH_EVIDENCE_FILE } from './attempt-io.js';
export type { RunnerOptions, TraceSpec } from './options.js';
