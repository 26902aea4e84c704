import { describe, expect, it } from 'vitest';
import { jsonReport } from '../../src/reports/json-report.js';
import { summaryData } from '../../src/reports/summary-data.js';
import type { RunSummary } from '../../src/summary.js';
import { attemptResult, finalOf, summaryOf, timeFields } from '../results/helpers.js';

function sample(): RunSummary {
  const s = summaryOf('run-9', [
    finalOf([attemptResult('b/2', 1, 'pass', { durationMs: 700_000 })]),
    finalOf([attemptResult('a/1', 1, 'fail', { durationMs: 999, summary: 'output mismatch' })]),
    finalOf([
      attemptResult('c/3', 1, 'fail', { durationMs: 2000 }),
      attemptResult('c/3', 2, 'pass', { durationMs: 4000 }),
    ]),
    finalOf([
      attemptResult('d/4', 1, 'error', {
        outcome: 'crashed',
        durationMs: 100,
        crashEvidence: 'panic',
      }),
      attemptResult('d/4', 2, 'error', { durationMs: 30_000, summary: 'boom' }),
    ]),
    finalOf([attemptResult('e/5', 1, 'skip', { durationMs: 120_000 })]),
  ]);
  return {
    ...s,
    unfinished: ['z/9', 'y/8'],
    supervisors: [
      ...s.supervisors,
      {
        name: 'vm-2',
        started: false,
        deaths: 0,
        restarts: 0,
        busyMs: 0,
        wallMs: 0,
        attempts: 0,
        error: new Error('no KVM'),
      },
    ],
  };
}

describe('jsonReport', () => {
  it('has version 1, ISO times, sorted tests with every attempt, and nulls for absent values', () => {
    const report = jsonReport(sample(), { kernel: '6.8' });
    expect(report).toMatchObject({
      version: 1,
      runId: 'run-9',
      startedAt: '2023-11-14T22:13:20.000Z',
      finishedAt: '2023-11-14T22:14:20.000Z',
      durationMs: 60_000,
      canceled: false,
      counts: { pass: 2, fail: 1, skip: 1, error: 1 },
      meta: { kernel: '6.8' },
      unfinished: ['y/8', 'z/9'],
    });
    expect(report.tests.map((t) => t.id)).toEqual(['a/1', 'b/2', 'c/3', 'd/4', 'e/5']);
    const d4 = report.tests[3];
    expect(d4).toMatchObject({
      id: 'd/4',
      status: 'error',
      reschedules: 1,
      retries: 0,
      crashEvidence: null,
    });
    expect(d4?.attempts.map((a) => [a.outcome, a.crashEvidence])).toEqual([
      ['crashed', 'panic'],
      ['completed', null],
    ]);
    expect(report.tests[2]).toMatchObject({ id: 'c/3', flaky: true, retries: 1 });
    expect(report.supervisors[1]).toEqual({
      name: 'vm-2',
      started: false,
      deaths: 0,
      restarts: 0,
      attempts: 0,
      busyMs: 0,
      wallMs: 0,
      error: 'no KVM',
    });
    expect(report.tests[0]?.outputDir).toBeNull();
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });

  it('writes every point in time as an ISO 8601 UTC string (one convention in the file)', () => {
    const times = timeFields(jsonReport(sample()));
    expect(times.length).toBeGreaterThan(5);
    for (const [path, value] of times) {
      expect({ path, value }).toEqual({
        path,
        value: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      });
    }
  });
});

describe('summaryData', () => {
  it('counts, failures, slowest, histogram, utilisation, crashes, retries, flaky, totals', () => {
    const data = summaryData(sample(), { slowest: 3 });
    expect(data.counts).toEqual({ pass: 2, fail: 1, skip: 1, error: 1 });
    expect(data.total).toBe(5);
    expect(data.unfinished).toEqual(['y/8', 'z/9']);
    expect(data.failures).toEqual([
      { id: 'a/1', status: 'fail', summary: 'output mismatch' },
      { id: 'd/4', status: 'error', summary: 'boom' },
    ]);
    expect(data.failureList).toBe('a/1 d/4');
    expect(data.slowest).toEqual([
      { id: 'b/2', durationMs: 700_000, status: 'pass' },
      { id: 'e/5', durationMs: 120_000, status: 'skip' },
      { id: 'd/4', durationMs: 30_000, status: 'error' },
    ]);
    expect(data.histogram.map((b) => [b.label, b.count])).toEqual([
      ['<1s', 1],
      ['1s-5s', 1],
      ['5s-30s', 0],
      ['30s-2m', 1],
      ['2m-10m', 1],
      ['>10m', 1],
    ]);
    expect(data.histogram[5]).toMatchObject({ minMs: 600_000, maxMs: null });
    expect(data.supervisors.map((s) => [s.name, s.utilisation, s.error])).toEqual([
      ['vm-1', 0.5, null],
      ['vm-2', null, 'no KVM'],
    ]);
    expect(data.crashReschedules).toEqual([{ id: 'd/4', count: 1 }]);
    expect(data.retries).toEqual([{ id: 'c/3', count: 1 }]);
    expect(data.flaky).toEqual(['c/3']);
    expect(data.totalMs).toBe(60_000);
    expect(data.testTimeMs).toBe(700_000 + 999 + 2000 + 4000 + 100 + 30_000 + 120_000);
  });

  it('takes custom histogram bounds and defaults to 10 slowest', () => {
    const data = summaryData(sample(), { histogramBuckets: [60_000] });
    expect(data.histogram.map((b) => [b.label, b.count])).toEqual([
      ['<1m', 3],
      ['>1m', 2],
    ]);
    expect(data.slowest).toHaveLength(5);
    expect(summaryData(summaryOf('empty', [])).histogram.every((b) => b.count === 0)).toBe(true);
  });
});
