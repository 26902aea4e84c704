export { FakeSupervisor } from './fake-supervisor.js';
export { FakeLedger, type FakeExecRecord } from './ledger.js';
export type { FakeBehavior, FakeChunk, FakeRandom, FakeScript, FakeStart } from './script.js';
export { fakeTest, type FakeTestOptions } from './fake-test.js';
export { createPrng, randomInt, type Prng } from './prng.js';
export {
  FAKE_BATCH_COMMAND,
  fakeBatchExec,
  fakeBatcher,
  type FakeMember,
} from './fake-batch.js';
