/** `mergeConfig`: command-line flags override the file; the same schema validates both. */
import type { LoadedConfig } from './load.js';
import { validateConfig } from './load.js';
import type { Config, ConfigInput } from './schema.js';

/** Where command-line overrides are said to come from in errors. */
export const OVERRIDES_SOURCE = 'command line';

/**
 * Merge `overrides` (flags, in the file's shape: `{ test_selection: { groups: ['quick'] } }`)
 * over the file and validate the result. Keys whose value is `undefined` are ignored (unset
 * flags). Tables merge key by key; any other value replaces the file's. Throws `ConfigError`
 * with source `command line` when the overrides themselves are invalid.
 */
export function mergeConfig(file: LoadedConfig, overrides: ConfigInput): Config {
  const cleaned = dropUndefined(overrides);
  validateConfig(cleaned, OVERRIDES_SOURCE);
  const merged: Record<string, unknown> = { ...file.input };
  for (const [key, value] of Object.entries(cleaned)) {
    const base = merged[key];
    merged[key] = isTable(base) && isTable(value) ? { ...base, ...value } : value;
  }
  return validateConfig(merged, file.path ?? OVERRIDES_SOURCE);
}

function dropUndefined(value: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (item === undefined) continue;
    out[key] = isTable(item) ? dropUndefined(item) : item;
  }
  return out;
}

function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
