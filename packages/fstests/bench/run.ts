/**
 * `pnpm --filter @ff/fstests bench`: the @ff/fstests benchmarks (issues 4 and 5).
 *  1. collection: `ff --list -g auto` end to end on 2,000 synthetic tests (target < 300 ms, the
 *     one gating target: exit 1 on MISS), and `collectTests` in process;
 *  2. parallel spawn: first test running with 3 VMs vs one VM boot alone (ratio);
 *  3. per-test overhead on a real VM: the Runner vs an `ssh` client per command (ratio).
 * 2 and 3 boot the test appliance with QEMU and are skipped, saying why, without QEMU or a
 * kernel. Every VM is stopped; the QEMU PIDs are checked at the end. Exit 1 also when a
 * benchmark broke or a QEMU process was left behind. Ctrl-C stops the VMs.
 */
import { LIST_TARGET_MS, benchCliList, importLine } from './cli-list.js';
import { benchCollect } from './collect.js';
import { benchParallelSpawn } from './spawn.js';
import { type SummaryRow, summaryTable } from './table.js';
import { benchVmOverhead } from './vm-overhead.js';
import { VmFleet, type VmReady, loadAverage, prepareVms } from './vm.js';

const interrupt = new AbortController();
// tsx passes a terminal's SIGINT on to this process too: every one after the first is ignored.
process.on('SIGINT', () => interrupt.abort(new Error('interrupted (SIGINT)')));
const signal = interrupt.signal;
const rows: SummaryRow[] = [];
let broken = 0;
const add = (benchmark: string, figure: string, verdict = '') => {
  rows.push({ benchmark, figure, verdict });
};

async function section<T>(title: string, work: () => Promise<T>): Promise<T | undefined> {
  if (signal.aborted) {
    console.log(`\n== ${title}: skipped, interrupted`);
    add(title, 'skipped', 'interrupted');
    return undefined;
  }
  console.log(`\n== ${title}\n   /proc/loadavg before: ${await loadAverage()}`);
  try {
    return await work();
  } catch (error) {
    if (signal.aborted) {
      console.log('   interrupted');
      add(title, 'interrupted');
      return undefined;
    }
    broken++;
    console.log(`   ERROR: ${error instanceof Error ? error.message : String(error)}`);
    add(title, 'error', 'see above');
    return undefined;
  } finally {
    console.log(`   /proc/loadavg after:  ${await loadAverage()}`);
  }
}

const list = await section('1. collection: ff --list -g auto, 2,000 tests', async () => {
  const cli = await benchCliList(5, { signal });
  const inProcess = await benchCollect();
  const pass = cli.ms < LIST_TARGET_MS;
  console.log(`   ${cli.command}`);
  console.log(
    `   end to end: ${cli.tests} tests listed, median of ${cli.runs.length} ${cli.ms} ms ` +
      `(runs ${cli.runs.join(', ')}) target < ${LIST_TARGET_MS} ms: ${pass ? 'PASS' : 'MISS'}`,
  );
  console.log(`   of which: node -e 0 ${cli.nodeMs} ms, ff --help ${cli.helpMs} ms (medians)`);
  console.log(`   import alone (in a fresh node): ${importLine(cli)}`);
  console.log(`   in process: collectTests -g auto ${inProcess.tests} tests, ${inProcess.ms} ms`);
  add(
    'ff --list -g auto (spawned)',
    `${cli.ms} ms`,
    `< ${LIST_TARGET_MS} ms: ${pass ? 'PASS' : 'MISS'}`,
  );
  add('collectTests (in process)', `${inProcess.ms} ms`);
  return pass;
});

async function vmBenches(ready: VmReady): Promise<void> {
  const fleet = await VmFleet.create(ready.app);
  try {
    const spawn = await section('2. parallel spawn: 3 VMs vs one boot', async () => {
      const r = await benchParallelSpawn(fleet, 3, signal);
      console.log(`   one QemuSupervisor.start() alone: ${r.singleBootMs} ms`);
      console.log(`   Runner over ${r.vms} VMs, first test:started: ${r.firstTestMs} ms`);
      console.log(`   Runner over ${r.vms} VMs, supervisor:ready at: ${r.readyMs.join(', ')} ms`);
      console.log(`   ratio first test / one boot: ${r.ratio}x (near 1 = parallel)`);
      console.log(
        `   CPU: the lone boot used ${r.singleBootCpuMs} ms of CPU; the ${r.vms} VMs had used ` +
          `${r.readyCpuMs.join(', ')} ms when ready; on ${r.cpus} CPUs ${r.vms} such boots ` +
          `cannot all finish before ${r.cpuBoundMs} ms (${(r.firstTestMs / r.cpuBoundMs).toFixed(2)}x that bound)`,
      );
      return r;
    });
    if (spawn) {
      add('one VM boot alone', `${spawn.singleBootMs} ms`);
      add(
        `first test running, ${spawn.vms} VMs`,
        `${spawn.firstTestMs} ms`,
        `${spawn.ratio}x one boot`,
      );
    }
    const overhead = await section('3. per-test overhead on a real VM', async () => {
      const r = await benchVmOverhead(fleet, 50, signal);
      console.log(`   ${r.tests} tests, each: ${r.command}`);
      console.log(
        `   Runner:           ${r.runnerWallMs} ms/test wall - ${r.runnerInVmMs} ms in VM = ` +
          `${r.runnerOverheadMs} ms overhead`,
      );
      console.log(
        `   ssh per command:  ${r.sshWallMs} ms/test wall - ${r.sshInVmMs} ms in VM = ` +
          `${r.sshOverheadMs} ms overhead`,
      );
      console.log(`   (${r.sshCommand})`);
      console.log(`   ratio ssh / Runner overhead: ${r.ratio}x`);
      return r;
    });
    if (overhead) {
      add('per-test overhead, Runner', `${overhead.runnerOverheadMs} ms`);
      add(
        'per-test overhead, ssh client',
        `${overhead.sshOverheadMs} ms`,
        `${overhead.ratio}x the Runner's`,
      );
    }
  } finally {
    await fleet[Symbol.asyncDispose]();
    const left = fleet.leftovers();
    console.log(
      `\nQEMU PIDs started: ${fleet.pids.join(', ') || 'none'}; still running: ${left.join(', ') || 'none'}`,
    );
    if (fleet.lateExitMs > 0) {
      console.log(`   (QEMU outlived stop() by ${fleet.lateExitMs} ms before exiting by itself)`);
    }
    if (left.length > 0) broken++;
  }
}

console.log('\n== 2, 3: preparing the test appliance and choosing the accelerator');
const ready = await prepareVms(signal);
if (!ready.ok) {
  console.log(`   SKIPPED (2. parallel spawn, 3. per-test overhead): ${ready.reason}`);
  add('2. and 3. (QEMU)', 'skipped', ready.reason);
} else {
  console.log(
    `   accelerator: ${ready.accel.accel} (${ready.accel.notice ?? 'KVM works'}), ${ready.accelMs} ms`,
  );
  await vmBenches(ready);
}

console.log(`\n${summaryTable(rows)}\n/proc/loadavg at the end: ${await loadAverage()}`);
if (list === false) console.log(`\nMISS: ff --list took longer than ${LIST_TARGET_MS} ms`);
if (list === false || broken > 0) process.exitCode = 1;
if (signal.aborted) process.exitCode = 130;
