import { type LoadedConfig, validateConfig } from '../../src/config/load.js';
import { mergeConfig } from '../../src/config/merge.js';

/** A configuration as `ff` builds it: an empty file in `dir` plus command-line style overrides. */
export function configWith(dir: string, overrides: Record<string, unknown>) {
  const loaded: LoadedConfig = {
    path: undefined,
    baseDir: dir,
    input: {},
    config: validateConfig({}, 'test'),
  };
  return mergeConfig(loaded, overrides);
}
