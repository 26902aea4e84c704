import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckBatcher } from '../src/check-batcher.js';
import { ConfigError } from '../src/errors.js';
import {
  DMESG_FOLLOW,
  batchingFromConfig,
  hostSupervisors,
  runnerOptionsFromConfig,
  selectionFromConfig,
  supervisorChecks,
  vmSupervisors,
} from '../src/plan/index.js';
import { configWith } from './support/config.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ff-plan-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A configuration as `ff` builds it: an empty file plus command-line style overrides. */
function config(overrides: Record<string, unknown>) {
  return configWith(dir, { ...overrides });
}

describe('runnerOptionsFromConfig', () => {
  it('maps seconds to milliseconds and traces dmesg by default', () => {
    const o = runnerOptionsFromConfig(
      config({ test_runner: { test_timeout: 30, probe_interval: 0 } }),
      dir,
    );
    expect(o).toMatchObject({
      testTimeoutMs: 30_000,
      probeIntervalMs: 0,
      probeTimeoutMs: 10_000,
      probeRetries: 3,
      probeRetryIntervalMs: 5_000,
      maxSupervisorRestarts: 3,
      retryFailures: 0,
    });
    expect(o.traces).toEqual([{ name: 'dmesg', command: DMESG_FOLLOW }]);
  });

  it('passes the probe timeout, retries and their spacing through', () => {
    const o = runnerOptionsFromConfig(
      config({ test_runner: { probe_timeout: 2.5, probe_retries: 5, probe_retry_interval: 0 } }),
      dir,
    );
    expect(o).toMatchObject({ probeTimeoutMs: 2500, probeRetries: 5, probeRetryIntervalMs: 0 });
  });

  it('sends the bpftrace script with the command (the VM does not have the local file)', async () => {
    await writeFile(
      join(dir, 'trace.bt'),
      'tracepoint:syscalls:sys_enter_openat { printf("%s\\n", comm); }\n',
    );
    const o = runnerOptionsFromConfig(
      config({ test_runner: { dmesg: false, bpftrace: true, bpftrace_script: 'trace.bt' } }),
      dir,
    );
    expect(o.traces).toEqual([
      {
        name: 'bpftrace',
        command: expect.stringMatching(/^exec bpftrace -e 'tracepoint:syscalls:sys_enter_openat/),
      },
    ]);
  });

  it('names the key when the bpftrace script is missing or unreadable', () => {
    expect(() => runnerOptionsFromConfig(config({ test_runner: { bpftrace: true } }), dir)).toThrow(
      /test_runner\.bpftrace_script: missing/,
    );
    expect(() =>
      runnerOptionsFromConfig(
        config({ test_runner: { bpftrace: true, bpftrace_script: 'nope.bt' } }),
        dir,
      ),
    ).toThrow(ConfigError);
  });
});

describe('batchingFromConfig', () => {
  const durations = new Map([['generic/001', 2000]]);

  it('batches with the history by default (auto: 10 minutes per batch)', () => {
    const b = batchingFromConfig(config({}), durations);
    expect(b?.batcher).toBeInstanceOf(CheckBatcher);
    expect(b).toMatchObject({ durations, targetMs: 600_000 });
  });

  it('takes a target in seconds, or off', () => {
    expect(batchingFromConfig(config({ test_runner: { batch: 90 } }), durations)?.targetMs).toBe(
      90_000,
    );
    expect(batchingFromConfig(config({ test_runner: { batch: 'off' } }), durations)).toBe(
      undefined,
    );
  });

  it.each(['sometimes', 0, -3])('names the key for batch = %j', (batch) => {
    expect(() => config({ test_runner: { batch } })).toThrow(ConfigError);
    expect(() => config({ test_runner: { batch } })).toThrow(/test_runner\.batch/);
  });
});

describe('selection and supervisors from a configuration', () => {
  it('resolves the exclude file against the configuration directory', () => {
    const s = selectionFromConfig(
      config({ test_selection: { exclude_tests_file: 'x.txt', groups: ['quick'] } }),
      dir,
    );
    expect(s).toMatchObject({ excludeTestsFile: join(dir, 'x.txt'), groups: ['quick'], cwd: dir });
  });

  it('gives hosts unique names and their own fstests paths', () => {
    const planned = hostSupervisors(
      config({ custom_vm: { vms: ['vm1:/a', 'vm1:/b', 'root@vm2:2222:/c'] } }),
    );
    expect(planned.map((p) => [p.supervisor.name, p.fstestsDir])).toEqual([
      ['vm1', '/a'],
      ['vm1#2', '/b'],
      ['vm2:2222', '/c'],
    ]);
    expect(planned.map((p) => p.startTimeoutMs)).toEqual([30_000, 30_000, 30_000]);
    const slow = hostSupervisors(config({ custom_vm: { vms: ['vm1:/a'], timeout: 7 } }));
    expect(slow[0]?.startTimeoutMs).toBe(7000);
  });

  it('requires a kernel and a key for QEMU VMs, naming the key', () => {
    expect(() =>
      vmSupervisors(config({ qemu: { num: 2 } }), { baseDir: dir, consoleDir: dir }),
    ).toThrow(/qemu\.kernel: missing/);
    const vms = vmSupervisors(config({ qemu: { num: 2, kernel: 'bzImage', ssh_key: 'id' } }), {
      baseDir: dir,
      consoleDir: dir,
    });
    expect(vms.map((v) => v.supervisor.name)).toEqual(['qemu-1', 'qemu-2']);
    expect(vms[0]?.startTimeoutMs).toBe(300_000);
  });

  it('doctor: nothing to run on is a failed check with a fix', async () => {
    const checks = await supervisorChecks(config({}));
    expect(checks).toEqual([
      expect.objectContaining({ name: 'supervisors', ok: false, required: true }),
    ]);
  });
});
