import { describe, expect, it } from 'vitest';
import { parseCheckOutput } from '../../src/parse/check-output.js';
import { type RunFacts, classifyCheckRun } from '../../src/parse/classify.js';

function run(stdout: string, facts: Partial<RunFacts> = {}): RunFacts {
  return {
    exitCode: 0,
    exitSignal: null,
    timedOut: false,
    canceled: false,
    stderr: '',
    stdout,
    ...facts,
  };
}

function classify(stdout: string, facts: Partial<RunFacts> = {}, name = 'generic/001') {
  const r = run(stdout, facts);
  return classifyCheckRun(parseCheckOutput(r.stdout), name, r);
}

const PASS = 'generic/001 5s ...  4s\nRan: generic/001\nPassed all 1 tests\n';

describe('classifyCheckRun', () => {
  it('passes on a pass line with exit status 0', () => {
    expect(classify(PASS)).toEqual({ status: 'pass', summary: '' });
  });

  it('skips with the [not run] reason, and on [expunged]', () => {
    expect(classify('generic/001 [not run] this test requires a valid $SCRATCH_DEV\n')).toEqual({
      status: 'skip',
      summary: 'this test requires a valid $SCRATCH_DEV',
    });
    expect(classify('generic/001       [expunged]\n')).toEqual({
      status: 'skip',
      summary: 'expunged',
    });
  });

  it('fails with the marker line as summary', () => {
    const mismatch =
      'generic/001 3s ... - output mismatch (see /r/generic/001.out.bad)\n    -a\n    +b\n';
    expect(classify(mismatch, { exitCode: 1 })).toEqual({
      status: 'fail',
      summary: '- output mismatch (see /r/generic/001.out.bad)',
    });
    expect(classify('generic/001 [failed, exit status 2]\n', { exitCode: 1 }).summary).toBe(
      '[failed, exit status 2]',
    );
    const dmesg = 'generic/001 _check_dmesg: something found in dmesg (see /r/generic/001.dmesg)\n';
    expect(classify(dmesg, { exitCode: 1 }).status).toBe('fail');
    expect(classify('generic/001 [dumped core]\n').status).toBe('fail');
    expect(classify('generic/001 _check_kmemleak: something found in kmemleak\n').status).toBe(
      'fail',
    );
  });

  it('fails on a fs inconsistency printed on the line after the name', () => {
    const out = 'xfs/001\n_check_xfs_filesystem: filesystem on /dev/vdb is inconsistent (r)\n';
    expect(classify(out, { exitCode: 1 }, 'xfs/001')).toEqual({
      status: 'fail',
      summary: '_check_xfs_filesystem: filesystem on /dev/vdb is inconsistent (r)',
    });
  });

  it('a failure marker wins even when check exits 0', () => {
    expect(classify('generic/001 [failed, exit status 1]\n').status).toBe('fail');
  });

  it('is an error when interrupted, even with exit status 0', () => {
    const out = 'generic/001 5s ... \nInterrupted!\n';
    expect(classify(out)).toEqual({
      status: 'error',
      summary: 'interrupted (./check exit status 0)',
    });
  });

  it('is an error without a result line for the test', () => {
    expect(
      classify('FSTYP         -- xfs\n', { exitCode: 1, stderr: 'TEST_DEV not set\n' }),
    ).toEqual({
      status: 'error',
      summary: 'no result line for generic/001 (./check exit status 1): TEST_DEV not set',
    });
    expect(classify(PASS, {}, 'generic/002').status).toBe('error');
  });

  it('is an error when the line never completes (check killed)', () => {
    expect(classify('generic/001 5s ... ', { exitCode: null, exitSignal: 'SIGKILL' })).toEqual({
      status: 'error',
      summary:
        'incomplete result line for generic/001 (./check killed by SIGKILL): generic/001 5s ...',
    });
  });

  it('is an error when a pass comes with a non-zero exit status', () => {
    expect(classify(PASS, { exitCode: 1 }).status).toBe('error');
  });

  it('is an error when timed out or canceled, whatever the output', () => {
    expect(classify(PASS, { timedOut: true }).status).toBe('error');
    expect(classify(PASS, { canceled: true })).toEqual({ status: 'error', summary: 'canceled' });
  });

  it('fails a test listed in Failures without a recognised marker', () => {
    const out = 'generic/001 something new\nFailures: generic/001\nFailed 1 of 1 tests\n';
    expect(classify(out, { exitCode: 1 }).status).toBe('fail');
  });

  it('combines sections (a failure in one fails, a pass beats a skip, all skipped skips)', () => {
    const sections = (a: string, b: string) =>
      `SECTION       -- a\n\ngeneric/001 ${a}\nSECTION       -- b\n\ngeneric/001 ${b}\n`;
    expect(classify(sections('1s', '[not run] nope')).status).toBe('pass');
    expect(classify(sections('[not run] x', '[not run] y'))).toEqual({
      status: 'skip',
      summary: 'x',
    });
    expect(classify(sections('1s', '[failed, exit status 1]'), { exitCode: 1 }).status).toBe(
      'fail',
    );
  });
});
