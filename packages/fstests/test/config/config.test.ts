import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_PATH_ENV, loadConfig } from '../../src/config/load.js';
import { mergeConfig } from '../../src/config/merge.js';
import { ConfigError, ConfigParseError } from '../../src/errors.js';
import { makeTree } from '../support/tree.js';

const VALID = `
fstests = "/src/xfstests"

[test_selection]
groups = ["quick"]
exclude_tests = ["generic/001"]
section = ["xfs_4k"]
iterate = 2
file_system = "xfs"

[test_runner]
test_timeout = 600
retry_failures = 1

[custom_vm]
vms = ["vm1:/var/lib/xfstests"]

[output]
junit = "out/junit.xml"

[qemu]
accel = "tcg"
scratch_drives = ["1G", "512M"]
`;

describe('loadConfig', () => {
  it('returns defaults when there is no config.toml in cwd', async () => {
    await using t = await makeTree({});
    const loaded = await loadConfig({ cwd: t.dir, env: {} });
    expect(loaded.path).toBeUndefined();
    expect(loaded.config.test_selection).toMatchObject({
      groups: [],
      iterate: 1,
      randomize: false,
    });
    expect(loaded.config.test_runner).toMatchObject({ max_supervisor_restarts: 3, dmesg: true });
    expect(loaded.config.qemu).toMatchObject({ accel: 'auto', memory: 1024, cpus: 1 });
    expect(loaded.config.output.results_dir).toBe('results');
  });

  it('reads config.toml from cwd and fills in defaults', async () => {
    await using t = await makeTree({ 'config.toml': VALID });
    const { config, path } = await loadConfig({ cwd: t.dir, env: {} });
    expect(path).toBe(join(t.dir, 'config.toml'));
    expect(config.fstests).toBe('/src/xfstests');
    expect(config.test_selection).toMatchObject({ groups: ['quick'], iterate: 2, list: false });
    expect(config.test_runner).toMatchObject({
      test_timeout: 600,
      retry_failures: 1,
      probe_interval: 10,
    });
    expect(config.custom_vm.vms).toEqual(['vm1:/var/lib/xfstests']);
    expect(config.qemu).toMatchObject({ accel: 'tcg', scratch_drives: ['1G', '512M'] });
  });

  it('reads the file named by FAST_FSTESTS_CONFIG_PATH, which must exist', async () => {
    await using t = await makeTree({ 'other/ff.toml': 'fstests = "/x"\n' });
    const loaded = await loadConfig({ cwd: t.dir, env: { [CONFIG_PATH_ENV]: 'other/ff.toml' } });
    expect(loaded.config.fstests).toBe('/x');
    expect(loaded.baseDir).toBe(join(t.dir, 'other'));
    await expect(
      loadConfig({ cwd: t.dir, env: { [CONFIG_PATH_ENV]: 'nope.toml' } }),
    ).rejects.toMatchObject({
      code: 'ERR_CONFIG_PARSE',
      file: join(t.dir, 'nope.toml'),
    });
  });

  it('reports malformed TOML as file:line:column', async () => {
    await using t = await makeTree({
      'config.toml': '[test_selection]\ngroups = ["quick",\niterate = 2\n',
    });
    const error = await loadConfig({ cwd: t.dir, env: {} }).catch((e: unknown) => e);
    if (!(error instanceof ConfigParseError)) throw new Error('expected a ConfigParseError');
    expect(error).toMatchObject({ line: 3, column: 1 });
    expect(error.message).toMatch(new RegExp(`^${join(t.dir, 'config.toml')}:3:1: `));
  });

  it('names an unknown key with its path and the nearest valid key', async () => {
    await using t = await makeTree({
      'config.toml': '[test_runner]\ntest_timout = 10\n[outptu]\n',
    });
    const error = await loadConfig({ cwd: t.dir, env: {} }).catch((e: unknown) => e);
    if (!(error instanceof ConfigError)) throw new Error('expected a ConfigError');
    expect(error.issues).toEqual([
      {
        keyPath: 'test_runner.test_timout',
        message: 'unknown key in [test_runner]',
        suggestion: 'test_timeout',
      },
      { keyPath: 'outptu', message: 'unknown key at the top level', suggestion: 'output' },
    ]);
    expect(error.message).toContain('did you mean "test_timeout"?');
  });

  it('names a wrongly typed value with its key path, the value and what was expected', async () => {
    await using t = await makeTree({
      'config.toml':
        '[test_runner]\ntest_timeout = "ten"\nprobe_retries = 2.5\nmax_supervisor_restarts = 1.5\n[qemu]\naccel = "hvf"\nappend = ""\nscratch_drives = ["1 GB"]\n[test_selection]\ngroups = "quick"\n',
    });
    const error = await loadConfig({ cwd: t.dir, env: {} }).catch((e: unknown) => e);
    if (!(error instanceof ConfigError)) throw new Error('expected a ConfigError');
    expect(error.code).toBe('ERR_CONFIG');
    expect(error.source).toBe(join(t.dir, 'config.toml'));
    expect(error.issues).toEqual([
      { keyPath: 'test_selection.groups', message: 'expected an array, got "quick"' },
      { keyPath: 'test_runner.test_timeout', message: 'expected number, got "ten"' },
      { keyPath: 'test_runner.probe_retries', message: 'expected an integer, got 2.5' },
      { keyPath: 'test_runner.max_supervisor_restarts', message: 'expected an integer, got 1.5' },
      { keyPath: 'qemu.append', message: 'expected a kernel command line, got ""' },
      { keyPath: 'qemu.accel', message: 'expected ("auto" | "kvm" | "tcg"), got "hvf"' },
      {
        keyPath: 'qemu.scratch_drives[0]',
        message: 'expected a size like 512M or 2G, got "1 GB"',
      },
    ]);
  });
});

describe('mergeConfig', () => {
  it('lets flags override the file, table by table, ignoring unset flags', async () => {
    await using t = await makeTree({ 'config.toml': VALID });
    const loaded = await loadConfig({ cwd: t.dir, env: {} });
    const config = mergeConfig(loaded, {
      test_selection: { groups: ['auto'], randomize: true, tests: undefined },
      test_runner: { test_timeout: undefined },
      output: { verbose: true },
    });
    expect(config.test_selection).toMatchObject({
      groups: ['auto'],
      randomize: true,
      exclude_tests: ['generic/001'],
      iterate: 2,
    });
    expect(config.test_runner.test_timeout).toBe(600);
    expect(config.output).toMatchObject({ verbose: true, junit: 'out/junit.xml' });
    expect(config.fstests).toBe('/src/xfstests');
  });

  it('validates the overrides with the same schema', async () => {
    await using t = await makeTree({});
    const loaded = await loadConfig({ cwd: t.dir, env: {} });
    const error = (() => {
      try {
        return mergeConfig(loaded, { test_selection: { iterate: 0 } });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toMatchObject({
      code: 'ERR_CONFIG',
      source: 'command line',
      issues: [{ keyPath: 'test_selection.iterate', message: 'expected a number >= 1, got 0' }],
    });
  });
});
