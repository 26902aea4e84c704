export { Runner } from './runner.js';
export { CRASH_EVIDENCE_FILE } from './attempt.js';
export type { RunnerOptions, TraceSpec } from './options.js';
