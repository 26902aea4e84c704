import { benchOverhead } from './overhead.js';
import { reportScheduling } from './report.js';
import { benchResultsWrite } from './results-write.js';
import { SSH_RATIO_TARGET, benchSshDispatch, formatSshDispatch } from './ssh-dispatch.js';

/** Runner time per zero-work test must stay under this many microseconds. */
const OVERHEAD_TARGET_US = 200;

/**
 * `pnpm --filter @ff/parallelrunner bench`: the scheduling simulation over the real duration
 * data, the runner overhead, results-store writes and SSH dispatch overhead (real loopback sshd).
 * Exits non-zero when a target is missed (ratios and per-test costs, never a run's wall time).
 */
let failures = await reportScheduling();
const overhead = await benchOverhead();
const ok = overhead.usPerTest < OVERHEAD_TARGET_US;
if (!ok) failures++;
console.log(
  `\nRunner overhead: ${overhead.tests} zero-work tests on ${overhead.supervisors} fake supervisors:` +
    ` ${overhead.usPerTest} µs/test (< ${OVERHEAD_TARGET_US} µs: ${ok ? 'PASS' : 'FAIL'}),` +
    ` peak RSS ${overhead.peakRssMb} MiB`,
);
const written = await benchResultsWrite();
console.log(
  `Results store: ${written.tests} tests written: ${written.msPerTest.toFixed(3)} ms/test,` +
    ` peak RSS ${written.peakRssMb} MiB`,
);
const ssh = await benchSshDispatch();
console.log(`\n${formatSshDispatch(ssh)}`);
if (ssh.ratio < SSH_RATIO_TARGET) failures++;
if (failures > 0) {
  console.error(`\n${failures} benchmark target(s) missed`);
  process.exitCode = 1;
}
