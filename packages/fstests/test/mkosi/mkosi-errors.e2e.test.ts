import { chmod, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { describeWith } from '../../../parallelrunner/test/support/e2e.js';
import { buildMkosiImage } from '../../src/mkosi/build.js';
import {
  MkosiBuildError,
  MkosiExitedError,
  MkosiKeyError,
  MkosiNotBuiltError,
  MkosiNotFoundError,
  MkosiTooOldError,
  MkosiTransportError,
} from '../../src/mkosi/errors.js';
import { MkosiSupervisor, type MkosiSupervisorOptions } from '../../src/mkosi/mkosi-supervisor.js';
import type { ApplianceInfo } from '../../src/qemu/appliance.js';
import { ensureAppliance } from '../support/appliance.js';
import { makeConfigDir, processesMatching, standinMkosi } from './standin.js';
import { useTempDir } from './temp-dir.js';

const describe = describeWith('qemu');

const tmp = useTempDir('ff-mkosi-errors-');
let app: ApplianceInfo;
let env: NodeJS.ProcessEnv = {};

beforeAll(async () => {
  app = await ensureAppliance();
  env = { XDG_RUNTIME_DIR: join(tmp.path(), 'run'), TMPDIR: tmp.path() };
}, 60_000);

/** Start a supervisor that must fail; returns the error and checks nothing was left running. */
async function startError(
  options: Partial<MkosiSupervisorOptions> & { configDir: string },
): Promise<Error> {
  const sup = new MkosiSupervisor({
    name: 'mkosi-err',
    mkosiPath: standinMkosi,
    env,
    transport: 'tcp',
    timeoutMs: 30_000,
    ...options,
  });
  const started = Date.now();
  const error = await sup.start().then(
    () => new Error('started'),
    (e: unknown) => e as Error,
  );
  await sup.stop();
  expect(Date.now() - started).toBeLessThan(20_000);
  expect(sup.target.pid).toBeUndefined();
  expect(processesMatching(tmp.path())).toEqual([]);
  return error;
}

describe('clear errors from the mkosi supervisor', () => {
  it('mkosi missing', async () => {
    const configDir = await makeConfigDir(join(tmp.path(), 'missing'), app);
    const error = await startError({ configDir, mkosiPath: join(tmp.path(), 'no-such-mkosi') });
    expect(error).toBeInstanceOf(MkosiNotFoundError);
    expect(error.message).toMatch(
      /mkosi not found: could not run .*no-such-mkosi.*install mkosi 26/,
    );
  });

  it('mkosi too old', async () => {
    const configDir = await makeConfigDir(join(tmp.path(), 'old'), app);
    const old = join(tmp.path(), 'mkosi-15');
    await writeFile(old, `#!/bin/sh\nFF_MKOSI_VERSION=15.1 exec '${standinMkosi}' "$@"\n`);
    await chmod(old, 0o755);
    const error = await startError({ configDir, mkosiPath: old });
    expect(error).toBeInstanceOf(MkosiTooOldError);
    expect(error.message).toMatch(/mkosi 15\.1 is too old/);
  });

  it('image not built: says so, with mkosi output', async () => {
    const configDir = await makeConfigDir(join(tmp.path(), 'unbuilt'), app);
    const error = await startError({ configDir });
    expect(error).toBeInstanceOf(MkosiNotBuiltError);
    expect(error.message).toContain('mkosi -f build');
    expect((error as MkosiNotBuiltError).outputTail).toContain(
      "Image 'main' has not been built yet",
    );
  });

  it('VM exits early: exit status and the tail of the output', async () => {
    const configDir = await makeConfigDir(join(tmp.path(), 'early'), app);
    await buildMkosiImage({ configDir, mkosiPath: standinMkosi, env });
    const error = await startError({ configDir, qemuArgs: ['-no-such-qemu-option'] });
    expect(error).toBeInstanceOf(MkosiExitedError);
    expect(error.message).toMatch(
      /mkosi for machine ff-1-[0-9a-f]{6} exited early \(exit status 1\)/,
    );
    expect((error as MkosiExitedError).outputTail).toContain('-no-such-qemu-option');
    expect(processesMatching('-no-such-qemu-option')).toEqual([]);
  });

  it('missing mkosi.key', async () => {
    const configDir = await makeConfigDir(join(tmp.path(), 'nokey'), app);
    await rm(join(configDir, 'mkosi.key'));
    const error = await startError({ configDir });
    expect(error).toBeInstanceOf(MkosiKeyError);
    expect(error.message).toMatch(/mkosi\.key: cannot read the SSH key: ENOENT.*mkosi genkey/);
  });

  it('vsock asked for without /dev/vhost-vsock', async () => {
    const configDir = await makeConfigDir(join(tmp.path(), 'vsock'), app);
    const error = await startError({
      configDir,
      transport: 'vsock',
      vsockDevice: join(tmp.path(), 'no-vhost-vsock'),
    });
    expect(error).toBeInstanceOf(MkosiTransportError);
    expect(error.message).toMatch(/transport "vsock" needs .*no-vhost-vsock/);
  });

  it('build failure carries the output tail', async () => {
    const configDir = await makeConfigDir(join(tmp.path(), 'badbuild'), app);
    const error = await buildMkosiImage({
      configDir,
      mkosiPath: standinMkosi,
      env: { ...env, FF_MKOSI_FAIL_BUILD: 'Failed to install package foo' },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MkosiBuildError);
    expect((error as MkosiBuildError).message).toMatch(
      /mkosi build failed \(exit status 1\)[\s\S]*Failed to install package foo/,
    );
  });
});
