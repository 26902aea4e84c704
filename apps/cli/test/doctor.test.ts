/** `ff doctor` as a user runs it, from a directory outside the repository. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Workspace, ff, workspace } from './support/env.js';

let busy: Workspace;

beforeAll(async () => {
  // Hosts that accept the connection and log in, but whose commands take 40 s to run.
  busy = await workspace(2, { config: ['ForceCommand sleep 40'] });
}, 60_000);

afterAll(async () => {
  await busy?.[Symbol.asyncDispose]();
});

async function doctor(args: string[], config = '') {
  await busy.writeConfig(config);
  const started = performance.now();
  const r = await ff(['doctor', '--vms', busy.vms.join(','), ...args], {
    cwd: busy.dir,
    env: { HOME: busy.home },
  });
  return { ...r, seconds: (performance.now() - started) / 1000 };
}

describe('ff doctor --vms with two busy hosts', () => {
  it('ends within --host-timeout, both hosts checked at once and named', async () => {
    const r = await doctor(['--host-timeout', '3']);
    console.log(`ff doctor --host-timeout 3, two busy hosts: ${r.seconds.toFixed(1)} s`);
    expect(r.code).toBe(1);
    for (const host of ['host1', 'host2']) {
      expect(r.stdout).toMatch(
        new RegExp(`^FAIL host ${host}: ${host}: did not become ready within 3s$`, 'm'),
      );
    }
    expect(r.stdout).toMatch(/fix: .*longer \[custom_vm\] timeout \(--host-timeout\)/);
    // Not the 40 s the hosts' commands take, nor 2 x 3 s one after the other plus a hang.
    expect(r.seconds).toBeLessThan(20);
  }, 60_000);

  it('takes the timeout from [custom_vm] timeout', async () => {
    const r = await doctor([], '[custom_vm]\ntimeout = 2\n');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^FAIL host host1: host1: did not become ready within 2s$/m);
    expect(r.seconds).toBeLessThan(20);
  }, 60_000);

  it('rejects a bad --host-timeout with exit 2, naming the flag', async () => {
    const r = await doctor(['--host-timeout', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/custom_vm\.timeout: expected a number > 0, got 0/);
  }, 60_000);
});
