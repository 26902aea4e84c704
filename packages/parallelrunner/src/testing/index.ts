// @ff/parallelrunner/testing: a scripted fake supervisor and fake tests, for testing code built
// on the runner.
export { FakeSupervisor } from './fake-supervisor.js';
export { FakeLedger, type FakeExecRecord } from './ledger.js';
export type {
  FakeBehavior,
  FakeChunk,
  FakeRandom,
  FakeScript,
  FakeStart,
  FakeUnresponsive,
} from './script.js';
export { fakeTest, type FakeTestOptions } from './fake-test.js';
export { fakeBatchExec, fakeBatcher, type FakeMember } from './fake-batch.js';
