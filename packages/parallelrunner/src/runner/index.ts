export { Runner } from './runner.js';
export type { RunnerOptions, TraceSpec } from './options.js';
