/** A configuration value a supervisor kind cannot do without. */
import { ConfigError } from '../errors.js';

/** `value`, or a `ConfigError` naming `keyPath` and `what` is missing. */
export function requiredKey(value: string | undefined, keyPath: string, what: string): string {
  if (value === undefined || value === '') {
    throw new ConfigError('configuration', [{ keyPath, message: `missing: ${what}` }]);
  }
  return value;
}
