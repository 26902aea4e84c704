/**
 * Real fstests end to end: `ff image build` makes a Debian image from the vendored fstests tree
 * (../shared/vendor), `ff` runs real tests on 2 QEMU VMs booted from it, and each status and
 * artifact is checked against what `./check` prints for the same tests in a VM of that image.
 */
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BuildImageResult } from '../../../packages/fstests/src/image/index.js';
import { QemuSupervisor } from '../../../packages/fstests/src/qemu/index.js';
import {
  realFstestsMissing,
  testImageCacheDir,
  unpackRealFstests,
} from '../../../packages/fstests/test/support/real-fstests.js';
import { ff } from './support/env.js';

/**
 * Quick tests with a known outcome on ext4 and Debian 12's kernel: two pass, one is not run
 * (ext4 has no reflink), one fails by output mismatch (6.1 does not fail reads on a removed
 * scsi_debug device: the expected "Input/output error" is missing). Each takes 1-3 minutes
 * under TCG on a loaded 2-core machine, most of it ./check's own start-up.
 */
const TESTS = ['generic/706', 'generic/729', 'generic/110', 'generic/730'] as const;
const STATUS = { pass: 'pass', notrun: 'skip', mismatch: 'fail' } as const;

const missing = realFstestsMissing();
let dir: string;
let fstests: string;
let cacheDir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ff-real-'));
  if (missing === undefined) fstests = await unpackRealFstests(join(dir, 'src'));
  cacheDir = testImageCacheDir(join(tmpdir(), 'ff-test-images'));
}, 120_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The status `./check` printed for `test`, read from its own line (not with ff's parser). */
function checkStatus(output: string, test: string): keyof typeof STATUS | 'unknown' {
  const line = output.split('\n').find((l) => l.startsWith(`${test} `)) ?? '';
  if (line.includes('[not run]')) return 'notrun';
  if (line.includes('- output mismatch')) return 'mismatch';
  if (/\s\d+s$/.test(line)) return 'pass';
  return 'unknown';
}

const ARTIFACTS = ['out.bad', 'full', 'dmesg', 'notrun'] as const;

/** Run `command` on `vm` and collect its stdout. */
async function execText(
  vm: QemuSupervisor,
  command: string,
): Promise<{ exitCode: number | null; stdout: string }> {
  const chunks: Buffer[] = [];
  const r = await vm.exec({ command }, { timeoutMs: 1_800_000, onStdout: (c) => chunks.push(c) });
  return { exitCode: r.exitCode, stdout: Buffer.concat(chunks).toString() };
}

describe.skipIf(missing !== undefined)(
  `real fstests on QEMU${missing ? ` (skipped: ${missing})` : ''}`,
  () => {
    let image: BuildImageResult;
    let snippet: string;
    const env = () => ({ HOME: dir });

    it('ff image build builds the image (then finds it in the cache)', async () => {
      const t0 = Date.now();
      const built = await ff(
        ['image', 'build', '--fstests', fstests, '--cache-dir', cacheDir, '--json'],
        {
          cwd: dir,
          env: env(),
        },
      );
      expect(built.stderr).toMatch(/image: .*rootfs\.raw/);
      expect(built.code, built.stderr).toBe(0);
      image = JSON.parse(built.stdout) as BuildImageResult;
      console.log(
        `ff image build: ${image.cached ? 'cached' : 'built'} in ${((Date.now() - t0) / 1000).toFixed(0)} s (build ${(image.buildMs / 1000).toFixed(0)} s); steps:\n${built.stderr}`,
      );
      const again = await ff(['image', 'build', '--fstests', fstests, '--cache-dir', cacheDir], {
        cwd: dir,
        env: env(),
      });
      expect(again.code, again.stderr).toBe(0);
      expect(again.stderr).toContain('(cached, built earlier in');
      snippet = again.stdout;
      expect(snippet).toContain(`image = ${JSON.stringify(image.image)}`);
      expect(snippet).toContain(`fstests = ${JSON.stringify(fstests)}`);
    }, 3_600_000);

    it('ff runs real tests on 2 VMs with the statuses and artifacts ./check gives in one', async () => {
      expect(snippet, 'the image build test ran first').toBeTypeOf('string');
      const results = join(dir, 'results');
      const config = join(dir, 'config.toml');
      await writeFile(
        config,
        `${snippet}timeout = 900\n\n[test_runner]\ntest_timeout = 900\n\n[output]\nresults_dir = ${JSON.stringify(results)}\n`,
      );
      const t0 = Date.now();
      const run = await ff([...TESTS], {
        cwd: dir,
        env: { ...env(), FAST_FSTESTS_CONFIG_PATH: config },
      });
      console.log(`ff run: ${((Date.now() - t0) / 1000).toFixed(0)} s\n${run.stdout}`);
      expect(run.code, run.stdout + run.stderr).toBe(1); // generic/730 fails

      // The same tests, by ./check itself, in a VM of the same image.
      const vm = new QemuSupervisor({
        name: 'direct',
        kernel: image.kernel,
        initrd: image.initrd,
        image: image.image,
        scratchDrives: image.scratchDrives.map((size) => ({ size })),
        sshKeyPath: image.sshKey,
        consoleLogPath: join(dir, 'direct-console.log'),
        timeoutMs: 900_000,
        waitReadyMs: 900_000,
      });
      const t1 = Date.now();
      let direct = '';
      let files = '';
      try {
        await vm.start();
        console.log(`direct VM: boot to SSH ${((Date.now() - t1) / 1000).toFixed(0)} s`);
        const check = await execText(vm, `cd /var/lib/xfstests && ./check ${TESTS.join(' ')}`);
        direct = check.stdout;
        expect(check.exitCode, direct).toBe(1);
        files = (await execText(vm, 'cd /var/lib/xfstests/results && find . -type f | sort'))
          .stdout;
      } finally {
        await vm.stop();
      }
      console.log(`./check in one VM:\n${direct}`);

      for (const test of TESTS) {
        const expected = checkStatus(direct, test);
        expect(expected, `${test} in ./check's output`).not.toBe('unknown');
        const latest = join(results, 'latest', test);
        const result = JSON.parse(await readFile(join(latest, 'result.json'), 'utf8')) as {
          status: string;
        };
        console.log(`${test}: ./check ${expected}, ff ${result.status}`);
        expect(result.status, test).toBe(STATUS[expected as keyof typeof STATUS]);
        const saved = await readdir(join(latest, 'artifacts')).catch(() => [] as string[]);
        for (const suffix of ARTIFACTS) {
          const name = `${test.split('/')[1]}.${suffix}`;
          const byCheck = files.split('\n').includes(`./${test}.${suffix}`);
          expect(
            saved.includes(name),
            `${test} artifact ${suffix}: ./check left it: ${byCheck}`,
          ).toBe(byCheck);
        }
        // ff streams the kernel log of every test; fstests marks where each test begins in it.
        if (expected !== 'notrun') {
          expect(await readFile(join(latest, 'dmesg'), 'utf8')).toContain(`run fstests ${test} at`);
        }
      }
      const outBad = await readFile(
        join(results, 'latest', 'generic/730', 'artifacts', '730.out.bad'),
        'utf8',
      );
      expect(outBad).toContain('QA output created by 730');
      expect(outBad).not.toContain('Input/output error');
    }, 3_600_000);
  },
);
