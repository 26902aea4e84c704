/** From `[test_selection]` and `[test_runner]` to collection and runner options. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type BatchingOptions, type RunnerOptions, shellQuote } from '@ff/parallelrunner';
import { CheckBatcher } from '../check-batcher.js';
import type { SelectionOptions } from '../collect/collect.js';
import type { Config } from '../config/schema.js';
import { ConfigError } from '../errors.js';

/** The selection options `[test_selection]` asks for, paths resolved against `baseDir`. */
export function selectionFromConfig(config: Config, baseDir: string): SelectionOptions {
  const s = config.test_selection;
  return {
    tests: s.tests,
    groups: s.groups,
    excludeGroups: s.exclude_groups,
    excludeTests: s.exclude_tests,
    ...(s.exclude_tests_file === undefined
      ? {}
      : { excludeTestsFile: resolve(baseDir, s.exclude_tests_file) }),
    ...(s.file_system === undefined ? {} : { fileSystem: s.file_system }),
    sections: s.section,
    excludeSections: s.exclude_section,
    iterate: s.iterate,
    cwd: baseDir,
  };
}

/**
 * Follow the kernel log for the length of a test. util-linux's `dmesg -W` by absolute path
 * first: a busybox shell runs its own `dmesg` applet (which has no `-W`) for a bare `dmesg`.
 */
export const DMESG_FOLLOW =
  'if [ -x /usr/bin/dmesg ]; then exec /usr/bin/dmesg -W; else exec dmesg -W; fi';

/**
 * The runner options `[test_runner]` asks for (durations in the file are seconds). The bpftrace
 * script is read here, relative to `baseDir`, and sent with the command (`bpftrace -e`): the
 * VMs and hosts do not have the local file. Throws `ConfigError` when it cannot be read.
 */
export function runnerOptionsFromConfig(
  config: Config,
  baseDir: string,
): Pick<
  RunnerOptions,
  | 'probeIntervalMs'
  | 'probeTimeoutMs'
  | 'probeRetries'
  | 'probeRetryIntervalMs'
  | 'maxSupervisorRestarts'
  | 'retryFailures'
  | 'testTimeoutMs'
  | 'keepAlive'
  | 'traces'
> {
  const r = config.test_runner;
  const traces: { name: string; command: string }[] = [];
  if (r.dmesg) traces.push({ name: 'dmesg', command: DMESG_FOLLOW });
  if (r.bpftrace) {
    const program = readBpftraceScript(r.bpftrace_script, baseDir);
    traces.push({ name: 'bpftrace', command: `exec bpftrace -e ${shellQuote(program)}` });
  }
  return {
    probeIntervalMs: r.probe_interval * 1000,
    probeTimeoutMs: r.probe_timeout * 1000,
    probeRetries: r.probe_retries,
    probeRetryIntervalMs: r.probe_retry_interval * 1000,
    maxSupervisorRestarts: r.max_supervisor_restarts,
    retryFailures: r.retry_failures,
    ...(r.test_timeout === undefined ? {} : { testTimeoutMs: r.test_timeout * 1000 }),
    keepAlive: r.keep_alive,
    traces,
  };
}

/** `[test_runner] batch = "auto"`: the target length of one batch. */
export const AUTO_BATCH_TARGET_MS = 600_000;

/**
 * The runner's `batching` option `[test_runner] batch` asks for, with `durations` (ms by test
 * id, e.g. `ResultsStore.durations()`): `undefined` for `off`. Tests without a duration run
 * alone, so with no history nothing is batched.
 */
export function batchingFromConfig(
  config: Config,
  durations: ReadonlyMap<string, number>,
): BatchingOptions | undefined {
  const batch = config.test_runner.batch;
  if (batch === 'off') return undefined;
  const targetMs = batch === 'auto' ? AUTO_BATCH_TARGET_MS : batch * 1000;
  return { batcher: new CheckBatcher(), durations, targetMs };
}

function readBpftraceScript(script: string | undefined, baseDir: string): string {
  const keyPath = 'test_runner.bpftrace_script';
  if (script === undefined) {
    throw new ConfigError('configuration', [
      { keyPath, message: 'missing: bpftrace = true needs the script to run (a .bt file)' },
    ]);
  }
  const path = resolve(baseDir, script);
  try {
    return readFileSync(path, 'utf8');
  } catch (cause) {
    const why = cause instanceof Error ? cause.message : String(cause);
    throw new ConfigError('configuration', [{ keyPath, message: `cannot read ${path}: ${why}` }]);
  }
}
