/**
 * `ff` end to end on real mkosi v26 VMs: the repository's fstests image (packages/fstests/mkosi)
 * built by mkosi from the vendored fstests tree, booted under TCG, reached over the TCP port
 * forward (no /dev/vhost-vsock here). Skips, saying why, when ../shared/vendor is absent.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alive } from '../../../packages/fstests/test/support/processes.js';
import {
  type RealMkosiImage,
  ensureRealMkosiImage,
  realMkosiSkipReason,
} from '../../../packages/fstests/test/support/real-mkosi.js';
import { type FfResult, ff } from './support/env.js';
import {
  type Leftovers,
  type Tracked,
  leftovers,
  trackTree,
  tracked,
} from './support/mkosi-leftovers.js';

const skip = realMkosiSkipReason();
if (skip) console.warn(`skipping ff on real mkosi: ${skip}`);

let img: RealMkosiImage;
let dir: string;

beforeAll(async () => {
  if (skip) return;
  img = await ensureRealMkosiImage();
  const took = img.buildMs ? `${(img.buildMs / 1000).toFixed(0)} s` : 'cached, not rebuilt';
  console.log(`real mkosi: image build ${took} (log ${img.buildLog})`);
  dir = await mkdtemp(join(tmpdir(), 'ff-real-mkosi-'));
}, 50 * 60_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function writeConfig(name: string, extra: string[] = []): Promise<string> {
  await mkdir(join(dir, name), { recursive: true });
  const path = join(dir, name, 'config.toml');
  const toml = [
    `fstests = ${JSON.stringify(img.fstests)}`,
    '[mkosi]',
    `config = ${JSON.stringify(img.configDir)}`,
    `options = ${JSON.stringify(img.options)}`,
    // Boot under TCG on two loaded cores: minutes, not seconds.
    'timeout = 900',
    '[output]',
    `results_dir = ${JSON.stringify(join(dir, name, 'results'))}`,
    ...extra,
  ];
  await writeFile(path, toml.join('\n'));
  return path;
}

function runFf(
  name: string,
  config: string,
  args: string[],
  seen: Tracked,
  onStdout?: (text: string) => void,
  onSpawn?: (child: ChildProcess) => void,
): Promise<FfResult> {
  return ff(args, {
    cwd: join(dir, name),
    env: { ...img.env, FAST_FSTESTS_CONFIG_PATH: config, HOME: dir },
    onSpawn: (child) => {
      trackTree(child, seen);
      onSpawn?.(child);
    },
    ...(onStdout ? { onStdout } : {}),
  });
}

function readyTimes(stdout: string): string[] {
  return [...stdout.matchAll(/^\[[\d:]+\] (mkosi-\d+: ready after \S+)/gm)].map((m) => m[1] ?? '');
}

async function expectNothingLeft(seen: Tracked): Promise<Leftovers> {
  const left = await leftovers(seen, img.configDir);
  expect(left.machines.length).toBeGreaterThan(0);
  expect(left.processes, 'mkosi or QEMU still running').toEqual([]);
  expect(left.files, 'drives, state files or ephemeral copies left').toEqual([]);
  return left;
}

describe.skipIf(skip !== undefined)(
  'ff on real mkosi v26 VMs (packages/fstests/mkosi image)',
  () => {
    it(
      '2 VMs: real tests end as ./check says; a panic mid-test restarts the VM and reschedules the test; nothing left',
      async () => {
        const config = await writeConfig('run', [
          '[test_runner]',
          'max_supervisor_restarts = 2',
          'probe_interval = 10',
        ]);
        const seen = tracked();
        const tests = [
          'selftest/001',
          'selftest/002',
          'selftest/004',
          'selftest/005',
          'generic/005',
        ];
        const r = await runFf('run', config, [...tests, '-n', '2'], seen);
        console.log(`real mkosi run: ${readyTimes(r.stdout).join(', ')}`);
        expect(r.stderr, r.stderr).not.toMatch(/^ff: /m);
        expect(r.code, r.stdout).toBe(1);
        expect(r.stdout).toMatch(/PASS +selftest\/001 /);
        expect(r.stdout).toMatch(/PASS +generic\/005 /);
        expect(r.stdout).toMatch(/FAIL +selftest\/002 .*output mismatch/);
        expect(r.stdout).toMatch(/SKIP +selftest\/004 .*Always skip me/);
        // selftest/005 crashes the kernel (sysrq c): the VM is restarted and the test rescheduled,
        // and after the second crash the test is an error with the console as evidence.
        expect(r.stdout).toMatch(/selftest\/005: rescheduled/);
        expect(r.stdout).toMatch(/ERROR +selftest\/005 .*killed its supervisor 2 times/);
        expect(r.stdout).toMatch(/mkosi-\d: restarting/);
        const results = join(dir, 'run', 'results');
        const latest = join(results, 'latest', 'selftest');
        const crash = JSON.parse(await readFile(join(latest, '005', 'result.json'), 'utf8'));
        expect(crash.outcome).toBe('crashed');
        expect(await readFile(join(latest, '005', 'crash-evidence'), 'utf8')).toMatch(
          /Kernel panic - not syncing|sysrq: Trigger a crash/,
        );
        expect(await readdir(join(latest, '002', 'artifacts'))).toContain('002.out.bad');
        const consoles = (await readdir(join(results, 'consoles'))).sort();
        expect(consoles).toEqual(['mkosi-1.log', 'mkosi-2.log']);
        const left = await expectNothingLeft(seen);
        // Each boot is its own machine: two first boots and at least one restart.
        expect(left.machines.length).toBeGreaterThanOrEqual(3);
      },
      60 * 60_000,
    );

    it(
      'SIGINT and SIGKILL of ff mid-test leave no mkosi, no QEMU, no drives and no state file',
      async () => {
        const runs = await Promise.all(
          (['SIGINT', 'SIGKILL'] as const).map(async (signal) => {
            const name = signal.toLowerCase();
            const config = await writeConfig(name);
            const seen = tracked();
            let child: ChildProcess | undefined;
            let sent = false;
            // selftest/006 hangs: once the VM is ready it is surely mid-test a moment later.
            const result = runFf(
              name,
              config,
              ['selftest/006', '-n', '1'],
              seen,
              (text) => {
                if (sent || !/mkosi-1: ready after/.test(text)) return;
                sent = true;
                setTimeout(() => child?.kill(signal), 10_000);
              },
              (c) => {
                child = c;
              },
            );
            return { signal, seen, result: await result };
          }),
        );
        for (const { signal, seen, result } of runs) {
          expect(result.stdout, `${signal}: the VM never became ready`).toMatch(/ready after/);
          if (signal === 'SIGINT') expect(result.code, result.stderr).toBe(130);
          else expect(result.signal).toBe('SIGKILL');
          // After SIGKILL the lifeline stops mkosi's group (TERM, KILL 3 s later): wait for it.
          const deadline = Date.now() + 30_000;
          while ([...seen.pids].some(alive) && Date.now() < deadline) {
            await new Promise((done) => setTimeout(done, 500));
          }
          await expectNothingLeft(seen);
        }
      },
      40 * 60_000,
    );
  },
);
