import { describe, expect, it } from 'vitest';
import type { BatchingOptions } from '../../src/batch/batcher.js';
import { Runner } from '../../src/runner/runner.js';
import { fakeBatcher } from '../../src/testing/fake-batch.js';
import { fakeTest } from '../../src/testing/fake-test.js';
import { fakes, tests } from './helpers.js';

describe('Runner options', () => {
  it('rejects zero supervisors with InvalidOptionError', () => {
    expect(() => new Runner({ supervisors: [], tests: tests(1) })).toThrow(
      expect.objectContaining({
        code: 'ERR_INVALID_OPTION',
        message: expect.stringContaining('supervisors'),
      }),
    );
  });

  it.each([
    ['startTimeoutMs', -1],
    ['probeIntervalMs', Number.NaN],
    ['probeTimeoutMs', Number.POSITIVE_INFINITY],
    ['probeRetries', 1.5],
    ['probeRetryIntervalMs', -1],
    ['testTimeoutMs', -5],
    ['retryFailures', 1.5],
    ['maxSupervisorRestarts', -1],
    ['outputTailBytes', -1],
    ['graceMs', -1],
  ])('rejects %s = %s naming the option and the value', (name, value) => {
    const build = () => new Runner({ supervisors: fakes([{}]), tests: tests(1), [name]: value });
    expect(build).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTION' }));
    expect(build).toThrow(new RegExp(`${name}.*${String(value)}`));
  });

  it.each([
    ['targetMs', { targetMs: 0 }, /batching\.targetMs.*0/],
    ['maxTests', { maxTests: 1 }, /batching\.maxTests.*2 or more.*1/],
    ['durations', { durations: new Map([['a', -1]]) }, /batching\.durations "a".*-1/],
    ['batcher', { batcher: {} }, /batching\.batcher: expected a Batcher/],
  ])('rejects a bad batching.%s naming it', (_, bad, message) => {
    const batching = { batcher: fakeBatcher(), durations: new Map(), ...bad } as BatchingOptions;
    const build = () => new Runner({ supervisors: fakes([{}]), tests: tests(1), batching });
    expect(build).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTION' }));
    expect(build).toThrow(message);
  });

  it('rejects duplicate test ids with DuplicateTestError', () => {
    expect(
      () => new Runner({ supervisors: fakes([{}]), tests: [fakeTest('a/1'), fakeTest('a/1')] }),
    ).toThrow(expect.objectContaining({ code: 'ERR_DUPLICATE_TEST', testId: 'a/1' }));
  });

  it('rejects an empty test id with InvalidNameError', () => {
    expect(() => new Runner({ supervisors: fakes([{}]), tests: [fakeTest('')] })).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_NAME' }),
    );
  });

  it('accepts the ids other suites use (mocha, jest, pytest, minitest)', () => {
    const ids = ['math > adds 1+1', 'test_parse[utf-8]', 'Array#push', 'spec/it works', '../x'];
    expect(
      () => new Runner({ supervisors: fakes([{}]), tests: ids.map((id) => fakeTest(id)) }),
    ).not.toThrow();
  });

  it('accepts fstests-shaped ids', () => {
    const ids = ['generic/001', 'xfs/123-long-name', 'suite/case_1.sh'];
    expect(
      () => new Runner({ supervisors: fakes([{}]), tests: ids.map((i) => fakeTest(i)) }),
    ).not.toThrow();
  });

  it('rejects a negative Test.timeoutMs, duplicate supervisor names and keepAlive without a signal', () => {
    expect(
      () => new Runner({ supervisors: fakes([{}]), tests: [fakeTest('a', { timeoutMs: -1 })] }),
    ).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTION' }));
    const [one] = fakes([{}]);
    if (!one) throw new Error('no fake');
    expect(() => new Runner({ supervisors: [one, one], tests: tests(1) })).toThrow(/appears twice/);
    expect(
      () => new Runner({ supervisors: fakes([{}]), tests: tests(1), keepAlive: true }),
    ).toThrow(/keepAlive/);
  });

  it('rejects an unsafe run id', () => {
    expect(() => new Runner({ supervisors: fakes([{}]), tests: tests(1), runId: '../x' })).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_NAME' }),
    );
  });

  it('may run only once', async () => {
    const runner = new Runner({ supervisors: fakes([{}]), tests: tests(2), probeIntervalMs: 0 });
    await runner.run();
    await expect(runner.run()).rejects.toMatchObject({ code: 'ERR_INVALID_OPTION' });
  });
});
