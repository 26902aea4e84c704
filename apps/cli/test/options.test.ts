/** The run flags as yargs parses them, through to the merged configuration. */
import { type LoadedConfig, mergeConfig, validateConfig } from '@ff/fstests';
import { describe, expect, it } from 'vitest';
import yargs from 'yargs';
import { type RunArgs, runOptions, toOverrides } from '../src/options.js';
import { resolvePathFlags } from '../src/paths.js';

function parse(argv: string[]): RunArgs {
  return runOptions(yargs(argv))
    .parserConfiguration({ 'dot-notation': false })
    .fail((msg, err) => {
      throw err ?? new Error(msg);
    })
    .parseSync();
}

/** The configuration `ff` would use: `file` (a config.toml's tables) overridden by `argv`. */
function configFor(argv: string[], file: Record<string, unknown> = {}) {
  const path = '/etc/ff/config.toml';
  const loaded: LoadedConfig = {
    path,
    baseDir: '/etc/ff',
    input: file,
    config: validateConfig(file, path),
  };
  return mergeConfig(loaded, toOverrides(resolvePathFlags(parse(argv), '/home/me/linux')));
}

describe('--qemu.* flags', () => {
  it('set memory, CPUs, the SSH key and the scratch drives', () => {
    const q = configFor([
      '--qemu.memory',
      '2048',
      '--qemu.cpus',
      '4',
      '--qemu.ssh-key',
      'keys/id_ed25519',
      '--qemu.scratch-drives',
      '3G,3G',
    ]).qemu;
    expect(q.memory).toBe(2048);
    expect(q.cpus).toBe(4);
    // A command-line path resolves against the directory it was typed in.
    expect(q.ssh_key).toBe('/home/me/linux/keys/id_ed25519');
    expect(q.scratch_drives).toEqual(['3G', '3G']);
  });

  it('override the file; repeated scratch drives add up, an empty value attaches none', () => {
    const file = {
      qemu: { memory: 512, cpus: 2, ssh_key: 'id', scratch_drives: ['1G', '1G', '1G'] },
    };
    expect(configFor([], file).qemu).toMatchObject({
      memory: 512,
      cpus: 2,
      ssh_key: 'id',
      scratch_drives: ['1G', '1G', '1G'],
    });
    const q = configFor(
      ['--qemu.memory', '1536', '--qemu.scratch-drives', '2G', '--qemu.scratch-drives', '512M'],
      file,
    ).qemu;
    expect(q).toMatchObject({ memory: 1536, cpus: 2, scratch_drives: ['2G', '512M'] });
    expect(configFor(['--qemu.scratch-drives', ''], file).qemu.scratch_drives).toEqual([]);
  });

  it('take one value each: the next word is a test', () => {
    const args = parse(['--qemu.scratch-drives', '3G', 'generic/001']);
    expect(args['qemu.scratch-drives']).toEqual(['3G']);
    expect((args as { _?: unknown })._).toEqual(['generic/001']);
  });

  it.each([
    [['--qemu.memory', '32'], /qemu\.memory: expected a number >= 64, got 32/],
    [['--qemu.cpus', '0'], /qemu\.cpus: expected a number >= 1, got 0/],
    [
      ['--qemu.scratch-drives', '3X'],
      /qemu\.scratch_drives\[0\]: expected a size like 512M or 2G, got "3X"/,
    ],
  ])('reject %j naming the key', (argv, message) => {
    expect(() => configFor(argv)).toThrow(message);
  });

  it('--host-timeout sets [custom_vm] timeout', () => {
    expect(configFor([]).custom_vm.timeout).toBe(30);
    expect(configFor(['--host-timeout', '5']).custom_vm.timeout).toBe(5);
  });
});
