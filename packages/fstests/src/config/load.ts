/** `loadConfig`: find, read, parse and validate `config.toml`. */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parse as parseToml } from 'toml';
import * as v from 'valibot';
import { ConfigError, ConfigParseError } from '../errors.js';
import { toConfigIssues } from './issues.js';
import { type Config, ConfigSchema } from './schema.js';

/** The environment variable naming the configuration file. */
export const CONFIG_PATH_ENV = 'FAST_FSTESTS_CONFIG_PATH';

/** The file looked for in the working directory. */
export const CONFIG_FILE_NAME = 'config.toml';

/** Options of `loadConfig`. */
export interface LoadConfigOptions {
  /** An explicit file; it must exist. Default: `$FAST_FSTESTS_CONFIG_PATH`, else `<cwd>/config.toml`. */
  readonly path?: string;
  /** Environment to read `FAST_FSTESTS_CONFIG_PATH` from. Default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Working directory. Default `process.cwd()`. */
  readonly cwd?: string;
}

/** A loaded configuration. */
export interface LoadedConfig {
  /** The file read, or `undefined` when none exists (defaults only). */
  readonly path: string | undefined;
  /** Directory relative paths in the file are meant against: the file's, else `cwd`. */
  readonly baseDir: string;
  /** What the file says, as written (input for `mergeConfig`). */
  readonly input: Readonly<Record<string, unknown>>;
  /** The validated file with defaults filled in. */
  readonly config: Config;
}

/**
 * Load the configuration. A missing `<cwd>/config.toml` means defaults; a file named
 * explicitly or by `FAST_FSTESTS_CONFIG_PATH` must exist. Throws `ConfigParseError`
 * (`file:line:column: message`) for bad TOML and `ConfigError` for schema violations.
 */
export async function loadConfig(options: LoadConfigOptions = {}): Promise<LoadedConfig> {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  const named = options.path ?? nonEmpty(env[CONFIG_PATH_ENV]);
  const path = resolve(cwd, named ?? CONFIG_FILE_NAME);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    if (named === undefined && isNotFound(cause)) {
      return { path: undefined, baseDir: cwd, input: {}, config: v.parse(ConfigSchema, {}) };
    }
    throw new ConfigParseError(path, undefined, undefined, `cannot read: ${describe(cause)}`, {
      cause,
    });
  }
  const input = parseConfigText(text, path);
  return { path, baseDir: dirname(path), input, config: validateConfig(input, path) };
}

/** Parse TOML text; `ConfigParseError` carries `file:line:column`. */
export function parseConfigText(text: string, file: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = parseToml(text);
  } catch (cause) {
    const { line, column } = errorLocation(cause);
    throw new ConfigParseError(file, line, column, describe(cause), { cause });
  }
  if (typeof parsed !== 'object' || parsed === null) {
    throw new ConfigParseError(file, undefined, undefined, 'not a TOML document');
  }
  return { ...parsed };
}

/** Validate `input` against the schema; `ConfigError` names `source` and every issue. */
export function validateConfig(input: unknown, source: string): Config {
  const result = v.safeParse(ConfigSchema, input);
  if (result.success) return result.output;
  throw new ConfigError(source, toConfigIssues(result.issues));
}

function errorLocation(cause: unknown): { line?: number; column?: number } {
  if (typeof cause !== 'object' || cause === null || !('location' in cause)) return {};
  const location: unknown = cause.location;
  if (typeof location !== 'object' || location === null || !('start' in location)) return {};
  const start: unknown = location.start;
  if (typeof start !== 'object' || start === null) return {};
  const line = 'line' in start && typeof start.line === 'number' ? start.line : undefined;
  const column = 'column' in start && typeof start.column === 'number' ? start.column : undefined;
  return { line, column };
}

function isNotFound(cause: unknown): boolean {
  return typeof cause === 'object' && cause !== null && 'code' in cause && cause.code === 'ENOENT';
}

function describe(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
