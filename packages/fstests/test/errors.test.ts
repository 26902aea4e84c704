import { ParallelRunnerError } from '@ff/parallelrunner';
import { describe, expect, it } from 'vitest';
import {
  ApplianceBuildError,
  ConfigError,
  ConfigParseError,
  EmptySelectionError,
  ExcludeFileError,
  FstestsPathError,
  InvalidSectionError,
  InvalidTestNameError,
  MkosiBuildError,
  MkosiError,
  MkosiExitedError,
  MkosiKeyError,
  MkosiNotBuiltError,
  MkosiNotFoundError,
  MkosiOptionError,
  MkosiTooOldError,
  MkosiTransportError,
  MkosiVersionError,
  QemuAccelError,
  QemuExitedError,
  QemuHostForwardError,
  QemuNotFoundError,
  QemuOptionError,
  QemuPortError,
  QmpError,
  UnknownGroupError,
  UnknownTestError,
  VmsError,
} from '../src/index.js';

describe('fstests errors', () => {
  it('every one is a ParallelRunnerError; selection and configuration errors are usage', () => {
    const usage = [
      new ConfigError('config.toml', [{ keyPath: 'a', message: 'b' }]),
      new ConfigParseError('config.toml', 1, 2, 'bad'),
      new UnknownGroupError('quik', ['quick']),
      new UnknownTestError('generic/9999', []),
      new InvalidTestNameError('a;b', 'shell characters'),
      new InvalidSectionError('a b'),
      new ExcludeFileError('x', { cause: new Error('ENOENT') }),
      new EmptySelectionError(),
      new FstestsPathError(undefined, 'not set'),
      new VmsError('x', 'no path'),
    ];
    const runtime = [
      new QemuNotFoundError('qemu-system-x86_64'),
      new QemuExitedError('vm-1', 1, null, ''),
      new QemuAccelError('x'),
      new QemuHostForwardError('vm-1', 3, ''),
      new QemuPortError('127.0.0.1', 50),
      new QmpError('x'),
      new QemuOptionError('x'),
      new ApplianceBuildError('x', ''),
      new MkosiNotFoundError('mkosi'),
      new MkosiVersionError('x'),
      new MkosiTooOldError('23', 26),
      new MkosiNotBuiltError('tail'),
      new MkosiBuildError(1, 'tail'),
      new MkosiExitedError('ff-1', 1, null, 'tail'),
      new MkosiKeyError('mkosi.key', 'x'),
      new MkosiTransportError('x'),
      new MkosiOptionError('x'),
    ];
    for (const error of [...usage, ...runtime]) {
      expect(error).toBeInstanceOf(ParallelRunnerError);
      expect(error.code).toMatch(/^ERR_[A-Z_]+$/);
      expect(error.name).toBe(error.constructor.name);
    }
    expect(usage.map((e) => e.category)).toEqual(usage.map(() => 'usage'));
    expect(runtime.map((e) => e.category)).toEqual(runtime.map(() => 'runtime'));
  });

  it('mkosi errors keep the tail of mkosi output, in the message too', () => {
    const error = new MkosiBuildError(2, 'line 1\nline 2\n\n');
    expect(error).toBeInstanceOf(MkosiError);
    expect(error.outputTail).toBe('line 1\nline 2');
    expect(error.message).toBe(
      'mkosi build failed (exit status 2)\n--- mkosi output (tail) ---\nline 1\nline 2',
    );
    const cause = new Error('EACCES');
    expect(new MkosiNotFoundError('/opt/mkosi', { cause }).cause).toBe(cause);
  });
});
