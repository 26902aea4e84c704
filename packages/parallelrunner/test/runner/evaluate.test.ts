import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ResultsStore } from '../../src/results/store.js';
import { Runner } from '../../src/runner/runner.js';
import type { AttemptContext, CompletedRun, Test, Verdict } from '../../src/test.js';
import { FakeSupervisor } from '../../src/testing/fake-supervisor.js';
import type { FakeScript } from '../../src/testing/script.js';
import { resultOf } from './helpers.js';

/** A supervisor that declares where its suite lives, as a real one would (a VM's fstests dir). */
class RackSupervisor extends FakeSupervisor {
  constructor(
    name: string,
    readonly suiteDir: string,
    script: FakeScript,
  ) {
    super(name, script);
  }
}

/** A test that writes a report and judges by it: the shape of a JUnit-producing suite. */
class ReportTest implements Test<RackSupervisor> {
  seenDirs: string[] = [];
  constructor(
    readonly id: string,
    private readonly judge?: (run: CompletedRun<RackSupervisor>) => Promise<Verdict>,
  ) {}
  command(ctx: AttemptContext<RackSupervisor>) {
    // Typed: no lookup table from supervisor names to directories.
    this.seenDirs.push(ctx.host.suiteDir);
    return { command: this.id, cwd: ctx.host.suiteDir };
  }
  artifacts(ctx: AttemptContext<RackSupervisor>) {
    return [`${ctx.host.suiteDir}/report.xml`];
  }
  async evaluate(run: CompletedRun<RackSupervisor>): Promise<Verdict> {
    if (this.judge) return this.judge(run);
    const report = run.artifacts.find((a) => a.remotePath.endsWith('/report.xml'));
    if (!report) return { status: 'error', summary: 'no report' };
    const xml = await readFile(report.localPath, 'utf8');
    return xml.includes('<failure')
      ? { status: 'fail', summary: `report says: ${xml.trim()}` }
      : { status: 'pass', summary: '' };
  }
}

describe('attempt context and async evaluate', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ff-evaluate-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("gives the test its supervisor (typed) and evaluates after the artifacts are collected, reading the command's report", async () => {
    const a = new RackSupervisor('rack-a', '/srv/a', {
      files: { '/srv/a/report.xml': '<testcase/>' },
    });
    const b = new RackSupervisor('rack-b', '/srv/b', {
      files: { '/srv/b/report.xml': '<testcase><failure/></testcase>' },
    });
    const store = await ResultsStore.open(join(dir, 'results'), { create: true });
    const tests = [new ReportTest('suite/one')];
    const onA = await new Runner<RackSupervisor>({
      supervisors: [a],
      tests,
      sink: store,
      probeIntervalMs: 0,
      runId: 'run-a',
    }).run();
    expect(resultOf(onA, 'suite/one')).toMatchObject({ status: 'pass', supervisor: 'rack-a' });
    const onB = await new Runner({
      supervisors: [b],
      tests,
      sink: store,
      probeIntervalMs: 0,
      runId: 'run-b',
    }).run();
    expect(resultOf(onB, 'suite/one')).toMatchObject({ status: 'fail', supervisor: 'rack-b' });
    expect(resultOf(onB, 'suite/one').summary).toContain('<failure/>');
    expect(tests[0]?.seenDirs).toEqual(['/srv/a', '/srv/b']);
  });

  it('records a rejected evaluate as error with the reason', async () => {
    const s = new RackSupervisor('rack', '/srv', {});
    const test = new ReportTest('suite/bad', async () => {
      throw new Error('report unreadable');
    });
    const summary = await new Runner({ supervisors: [s], tests: [test], probeIntervalMs: 0 }).run();
    expect(resultOf(summary, 'suite/bad')).toMatchObject({ status: 'error' });
    expect(resultOf(summary, 'suite/bad').summary).toMatch(/evaluate\(\) threw: report unreadable/);
  });

  it('without a results store there is nowhere to collect to: artifacts is empty', async () => {
    const s = new RackSupervisor('rack', '/srv', { files: { '/srv/report.xml': '<testcase/>' } });
    let seen = -1;
    const test = new ReportTest('suite/nostore', async (run) => {
      seen = run.artifacts.length;
      return { status: 'pass', summary: '' };
    });
    await new Runner({ supervisors: [s], tests: [test], probeIntervalMs: 0 }).run();
    expect(seen).toBe(0);
  });

  it('a cancelled run does not wait for an evaluate that never settles', async () => {
    const s = new RackSupervisor('rack', '/srv', {});
    const controller = new AbortController();
    const test = new ReportTest('suite/stuck', () => {
      controller.abort();
      return new Promise<never>(() => undefined);
    });
    const summary = await new Runner({
      supervisors: [s],
      tests: [test],
      probeIntervalMs: 0,
      graceMs: 50,
      signal: controller.signal,
    }).run();
    expect(summary.canceled).toBe(true);
    expect(resultOf(summary, 'suite/stuck').status).toBe('error');
  });
});
