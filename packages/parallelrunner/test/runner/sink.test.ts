import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AttemptRecorder, ResultSink, RunInfo } from '../../src/sink.js';
import type { RunSummary } from '../../src/summary.js';
import type { FinalTestResult, TestResult } from '../../src/test.js';
import { fakeTest } from '../../src/testing/fake-test.js';
import { fakes, resultOf, runRecorded } from './helpers.js';

/** A minimal directory sink: <root>/<test>/<attempt>/{stdout,stderr,artifacts/,<trace>}. */
class DirSink implements ResultSink {
  readonly finished: TestResult[] = [];
  readonly written: string[] = [];
  info: RunInfo | undefined;
  summary: RunSummary | undefined;
  constructor(readonly root: string) {}
  async beginRun(info: RunInfo) {
    this.info = info;
  }
  async beginAttempt(test: { id: string }, ctx: { attemptId: string }): Promise<AttemptRecorder> {
    const dir = join(this.root, test.id, ctx.attemptId);
    return {
      dir,
      artifactsDir: join(dir, 'artifacts'),
      tracePath: (name) => join(this.root, `${test.id.replace('/', '_')}.${name}`),
      write: (stream, chunk) => this.written.push(`${test.id} ${stream} ${chunk.toString()}`),
      finish: async (result) => {
        this.finished.push(result);
      },
    };
  }
  async finishRun(summary: RunSummary) {
    this.summary = summary;
  }
}

describe('Runner with a result sink', () => {
  let root = '';
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'ff-runner-sink-'));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('streams output, stores every attempt, runs traces and collects artifacts', async () => {
    const sink = new DirSink(root);
    const sups = fakes([
      {
        commands: { 's/1': [{ crash: true }, { stdout: 'hello' }] },
        files: { '/var/log/s1.log': 'log line' },
        traceText: 'dmesg text',
      },
    ]);
    const { summary } = await runRecorded({
      supervisors: sups,
      tests: [fakeTest('s/1', { artifacts: ['/var/log/s1.log', '/missing'] })],
      sink,
      traces: [{ name: 'dmesg', command: 'dmesg -W' }],
    });
    expect(sink.info).toMatchObject({ runId: 'test', testIds: ['s/1'], supervisors: ['fake-0'] });
    expect(sink.finished.map((r) => r.outcome)).toEqual(['crashed', 'completed']);
    expect(sink.written).toEqual(['s/1 stdout hello']);
    expect(sink.summary?.counts.pass).toBe(1);
    const final = resultOf(summary, 's/1');
    expect(final.outputDir).toBe(join(root, 's/1', 'test-2'));
    expect(await readFile(join(root, 's/1/test-2/artifacts/s1.log'), 'utf8')).toBe('log line');
    expect(await readdir(join(root, 's/1/test-2/artifacts'))).toEqual(['s1.log']);
    expect(await readFile(join(root, 's_1.dmesg'), 'utf8')).toBe('dmesg text');
    expect(sups[0]?.ledger.runsOf('trace: dmesg -W').every((r) => r.end === 'exit')).toBe(true);
  });

  it('records artifact and results-store failures in the summary text, never failing the run', async () => {
    const sink = new DirSink(root);
    sink.beginAttempt = async (test, ctx) => {
      if (test.id === 'x/store') throw new Error('disk full');
      return DirSink.prototype.beginAttempt.call(sink, test, ctx);
    };
    const sups = fakes([{ collectFails: 'sftp broke' }]);
    const { summary } = await runRecorded({
      supervisors: sups,
      tests: [fakeTest('x/art', { artifacts: ['/a'] }), fakeTest('x/store')],
      sink,
    });
    expect(resultOf(summary, 'x/art')).toMatchObject({
      status: 'pass',
      summary: '[artifacts: sftp broke]',
    });
    expect(resultOf(summary, 'x/store')).toMatchObject({
      status: 'error',
      summary: 'results store: disk full',
    });
  });

  it('rejects the run when the sink refuses it in beginRun, before starting anything', async () => {
    const sups = fakes([{}]);
    const sink: ResultSink = {
      beginRun: async () => {
        throw new Error('results dir locked');
      },
      beginAttempt: async () => {
        throw new Error('unreachable');
      },
    };
    await expect(runRecorded({ supervisors: sups, tests: [fakeTest('a')], sink })).rejects.toThrow(
      'results dir locked',
    );
    expect(sups[0]?.starts).toBe(0);
  });

  it('hands each final result to finishTest once (not retried or rescheduled attempts), before finishRun', async () => {
    const order: string[] = [];
    const sink = new DirSink(root);
    const finals: FinalTestResult[] = [];
    Object.assign(sink, {
      finishTest: async (r: FinalTestResult) => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        finals.push(r);
        order.push(`final ${r.testId}`);
      },
      finishRun: async () => {
        order.push('finishRun');
      },
    });
    const sups = fakes([
      { commands: { 'f/crash': [{ crash: true }, {}], 'f/retry': [{ exitCode: 1 }, {}] } },
    ]);
    await runRecorded({
      supervisors: sups,
      tests: [fakeTest('f/crash'), fakeTest('f/retry'), fakeTest('f/ok')],
      sink,
      retryFailures: 1,
    });
    expect(finals.map((r) => [r.testId, r.attempts.length]).sort()).toEqual([
      ['f/crash', 2],
      ['f/ok', 1],
      ['f/retry', 2],
    ]);
    expect(order.at(-1)).toBe('finishRun');
    expect(order).toHaveLength(4);
  });

  it('a finishTest that rejects is reported once as a process warning; the run goes on', async () => {
    const warnings: Error[] = [];
    const onWarning = (w: Error) => warnings.push(w);
    process.on('warning', onWarning);
    try {
      const sink = new DirSink(root);
      Object.assign(sink, {
        finishTest: async () => {
          throw new Error('disk full');
        },
      });
      const { summary } = await runRecorded({
        supervisors: fakes([{}]),
        tests: [fakeTest('w/1'), fakeTest('w/2')],
        sink,
      });
      expect(summary.counts.pass).toBe(2);
      await new Promise((resolve) => setImmediate(resolve));
      const ours = warnings.filter((w) => (w as NodeJS.ErrnoException).code === 'FF_SINK_ERROR');
      expect(ours).toHaveLength(1);
      expect(ours[0]?.message).toMatch(/could not store the final result of w\/\d: disk full/);
    } finally {
      process.off('warning', onWarning);
    }
  });
});
