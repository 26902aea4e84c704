import { mkdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildAppliance, validateConfig } from '@ff/fstests';
import { ResultsStore, type TestStatus } from '@ff/parallelrunner';
import { EXIT } from '../exit-codes.js';
import { type CliIo, println } from '../io.js';
import { runWithConfig } from './run.js';

/**
 * What the demo suite's tests are built to do (packages/fstests/test/fixtures/fstests/README
 * and the appliance-only generic/900, which panics the kernel).
 */
const EXPECTED: Readonly<Record<string, TestStatus>> = {
  'generic/001': 'pass',
  'generic/002': 'pass',
  'generic/003': 'fail',
  'generic/004': 'skip',
  'generic/005': 'fail',
  'generic/006': 'fail',
  'generic/009-long-name': 'pass',
  'generic/900': 'error',
  'xfs/001': 'pass',
  'xfs/002': 'pass',
  'ext4/001': 'skip',
  'ext4/002': 'fail',
};

/** Where the demo keeps the appliance and its results. */
function demoDir(io: CliIo): string {
  const cache = io.env.XDG_CACHE_HOME ?? join(io.env.HOME ?? homedir(), '.cache');
  return resolve(cache, 'fast-fstests', 'demo');
}

/**
 * `ff demo`: build the test appliance (a Debian kernel, busybox, dropbear and a small
 * fstests-shaped suite), boot VMs with QEMU and run the suite on them with the live view — the
 * whole product on one machine, in about a minute under software emulation.
 */
export async function demoCommand(
  args: { vms?: number | undefined },
  io: CliIo,
  commandLine: readonly string[],
): Promise<number> {
  const dir = demoDir(io);
  await mkdir(dir, { recursive: true });
  println(io.stderr, `building the test appliance in ${join(dir, 'appliance')} ...`);
  const appliance = await buildAppliance(join(dir, 'appliance'));
  const resultsDir = join(dir, 'results');
  // The demo's configuration, as config.toml would give it (validated with the same schema).
  const config = validateConfig(
    {
      fstests: appliance.hostSuite,
      test_selection: { groups: ['auto', 'crash'] },
      test_runner: { max_supervisor_restarts: 1, test_timeout: 120, probe_interval: 5 },
      qemu: {
        num: args.vms ?? 3,
        kernel: appliance.kernel,
        initrd: appliance.initrd,
        ssh_key: appliance.privateKey,
        memory: 512,
        timeout: 120,
      },
      output: { results_dir: resultsDir, print_failure_list: true },
    },
    'ff demo',
  );
  const status = await runWithConfig(config, dir, {}, io, commandLine);
  if (status === EXIT.interrupted) return status;
  // The suite fails and panics on purpose: the demo succeeds when every test ended as built to
  // in this run (the latest results could hold an earlier run's result of a test).
  const store = await ResultsStore.open(resultsDir);
  const latest = await store.resolveSource('latest');
  const run = await store.loadRun(latest.kind === 'recording' ? latest : latest.runId);
  const got = new Map(run.results.map((r) => [r.testId, r.status]));
  const wrong = Object.entries(EXPECTED).filter(([id, want]) => got.get(id) !== want);
  if (wrong.length > 0) {
    for (const [id, want] of wrong) {
      println(io.stderr, `demo: ${id} should be ${want}, was ${got.get(id) ?? 'not run'}`);
    }
    return EXIT.failures;
  }
  println(
    io.stderr,
    `demo: all ${got.size} tests ended as the suite intends (the failures and the kernel panic are on purpose: the panic cost one VM, not the run)`,
  );
  return EXIT.ok;
}
