// Compiled and run by scripts/extension-test.sh in a fresh project outside the workspace: every
// public entry point resolves (types and runtime) from the installed tarballs.
import assert from 'node:assert/strict';
import { isTestFileName, parseCheckOutput } from '@ff/fstests';
import {
  ParallelRunnerError,
  type RunSummary,
  Runner,
  SupervisorDiedError,
  errorCategory,
  schedule,
} from '@ff/parallelrunner';
import { parseHostSpec, privateKeyProblem, shellQuote } from '@ff/parallelrunner/ssh';
import { FakeSupervisor, fakeTest } from '@ff/parallelrunner/testing';

assert.deepEqual(parseHostSpec('root@vm1:2222'), { user: 'root', host: 'vm1', port: 2222 });
assert.equal(shellQuote("it's"), `'it'\\''s'`);
// ssh2 (fstests' dependency, parallelrunner's optional peer) loads from the installed packages.
assert.match(privateKeyProblem('not a key') ?? '', /./);
assert.equal(isTestFileName('001'), true);
assert.equal(typeof parseCheckOutput, 'function');
assert.equal(new SupervisorDiedError('vm', 'gone').code, 'ERR_SUPERVISOR_DIED');

// A third party's error: its own code, and a category an application can read.
class DockerError extends ParallelRunnerError {
  constructor(message: string) {
    super('ERR_DOCKER', message, { category: 'usage' });
  }
}
const docker = new DockerError('no such image');
assert.equal(docker.code, 'ERR_DOCKER');
assert.equal(errorCategory(docker), 'usage');

const tests = ['t/a', 't/b', 't/c'].map((id) => fakeTest(id));
const ordered = schedule(tests, { order: 'as-given' });
const supervisor = new FakeSupervisor('fake-1', {
  commands: { 't/b': [{ crash: true }, { exitCode: 0 }], 't/c': { exitCode: 1 } },
});
const summary: RunSummary = await new Runner({
  supervisors: [supervisor],
  tests: ordered.items,
  retryFailures: 1,
  probeIntervalMs: 0,
}).run();
assert.deepEqual(summary.counts, { pass: 2, fail: 1, skip: 0, error: 0 });
const b = summary.results.find((r) => r.testId === 't/b');
assert.equal(b?.reschedules, 1);
const c = summary.results.find((r) => r.testId === 't/c');
assert.equal(c?.retries, 1);
process.stdout.write('entry points: @ff/parallelrunner, ./ssh, ./testing and @ff/fstests load\n');
