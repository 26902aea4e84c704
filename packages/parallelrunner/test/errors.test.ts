import { describe, expect, it } from 'vitest';
import {
  DuplicateTestError,
  InvalidNameError,
  InvalidOptionError,
  NoSupervisorStartedError,
  ParallelRunnerError,
  ResultsError,
  SupervisorContractError,
  SupervisorDiedError,
  SupervisorNotStartedError,
  SupervisorStartError,
  SupervisorStartTimeoutError,
  SupervisorStopError,
  TestContractError,
  UnknownSourceError,
  errorCategory,
} from '../src/index.js';
import { SshConfigError, SshError, SshHostKeyError } from '../src/ssh/index.js';

/** A third party's error, as a package built on this one writes it. */
class DockerError extends ParallelRunnerError {
  constructor(
    readonly container: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super('ERR_DOCKER', `${container}: ${message}`, options);
  }
}

class DockerImageError extends ParallelRunnerError {
  constructor(readonly image: string) {
    super('ERR_DOCKER_IMAGE', `no such image ${image}`, { category: 'usage' });
  }
}

describe('error codes and categories', () => {
  it('an error of another package extends ParallelRunnerError with its own code', () => {
    const cause = new Error('socket hang up');
    const error = new DockerError('c1', 'exec failed', { cause });
    expect(error).toBeInstanceOf(ParallelRunnerError);
    expect(error).toMatchObject({
      name: 'DockerError',
      code: 'ERR_DOCKER',
      category: 'runtime',
      message: 'c1: exec failed',
      cause,
    });
    expect(new DockerImageError('debian:13')).toMatchObject({
      code: 'ERR_DOCKER_IMAGE',
      category: 'usage',
    });
    expect('cause' in new DockerImageError('x')).toBe(false);
  });

  it("this package's input errors are usage, everything else runtime", () => {
    const usage = [
      new InvalidOptionError('x'),
      new InvalidNameError('x'),
      new ResultsError('x'),
      new UnknownSourceError('-1', [], 'x'),
    ];
    const runtime = [
      new DuplicateTestError('t'),
      new SupervisorStartError('s', 'x'),
      new SupervisorStartTimeoutError('s', 1000),
      new SupervisorDiedError('s', 'x'),
      new SupervisorStopError('s'),
      new SupervisorContractError('s', 'x'),
      new SupervisorNotStartedError('s', 'exec'),
      new NoSupervisorStartedError([]),
      new TestContractError('t', 'x'),
      new SshError('x'),
      new SshHostKeyError('unknown', 'x'),
      new SshConfigError('x'),
    ];
    expect(usage.map((e) => [e.code, e.category])).toEqual([
      ['ERR_INVALID_OPTION', 'usage'],
      ['ERR_INVALID_NAME', 'usage'],
      ['ERR_RESULTS', 'usage'],
      ['ERR_UNKNOWN_SOURCE', 'usage'],
    ]);
    for (const error of runtime)
      expect([error.code, error.category]).toEqual([error.code, 'runtime']);
  });

  it('errorCategory reads the category of anything thrown, runtime by default', () => {
    expect(errorCategory(new DockerImageError('x'))).toBe('usage');
    expect(errorCategory(new DockerError('c', 'x'))).toBe('runtime');
    // Duck-typed, so an error from another copy of this package counts too.
    expect(errorCategory(Object.assign(new Error('x'), { category: 'usage' }))).toBe('usage');
    expect(errorCategory(new Error('x'))).toBe('runtime');
    expect(errorCategory('text')).toBe('runtime');
    expect(errorCategory(undefined)).toBe('runtime');
    expect(errorCategory({ category: 'other' })).toBe('runtime');
  });
});
