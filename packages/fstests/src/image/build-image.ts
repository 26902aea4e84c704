import { createWriteStream } from 'node:fs';
import { access, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { packageFile } from '../util/package-file.js';
import {
  type BuildImageResult,
  type BuiltImage,
  IMAGE_SCRATCH_DEV,
  IMAGE_SCRATCH_DRIVES,
  IMAGE_TEST_DEV,
  configSnippet,
  readBuiltImage,
} from './built-image.js';
import { ImageOptionError } from './errors.js';
import { hashParts, hashTree } from './fingerprint.js';
import { type ImageKernel, resolveImageKernel } from './kernel.js';
import { acquireLock } from './lock.js';
import { baseArgs, imageArgs, settingsFile } from './mmdebstrap.js';
import {
  IMAGE_STEPS,
  type ImageBuildOptions,
  type ImageStep,
  type ResolvedImageOptions,
  resolveImageOptions,
} from './options.js';
import { runStep } from './run-step.js';
import { checkImageTools, loginKey } from './tools.js';

/** Bumped when what a build produces changes in a way its scripts do not show. */
const BUILDER_VERSION = '1';

function script(name: string): string {
  const path = packageFile(`image/${name}`);
  if (path === undefined) throw new ImageOptionError('image', `${name} not found in @ff/fstests`);
  return path;
}

function titles(o: ResolvedImageOptions, kernel: ImageKernel): Record<ImageStep, string> {
  return {
    base: `Debian ${o.suite} with ${o.packages.length} packages from ${o.mirror} (mmdebstrap)`,
    unpack: 'unpacking the Debian base system',
    copy: `copying fstests and the modules of ${kernel.version}`,
    'fstests-build': `compiling and installing fstests (make -j${o.jobs})`,
    system: 'users fsgqa, fsgqa2, 123456-fsgqa; network; services',
    sshd: 'sshd, with the login key for root',
    'local-config': `local.config (FSTYP=${o.fstyp}) and the TEST_DEV mkfs at boot`,
    initrd: `initrd for ${kernel.version}`,
    cleanup: 'cleaning up',
    disk: 'writing the ext4 root disk image',
    convert: 'converting the image to qcow2',
  };
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/**
 * Build a bootable root image for `[qemu]` from an fstests checkout (see README, "Starting with
 * QEMU"), or return the cached one built from the same inputs: fstests tree, kernel and modules,
 * options, login key and the builder's scripts. One build at a time per cache directory.
 * Progress goes to `onProgress`; a failed step rejects with `ImageStepError` (the log is kept),
 * a missing program with `ImageToolMissingError`, a bad option with `ImageOptionError`.
 */
export async function buildImage(options: ImageBuildOptions): Promise<BuildImageResult> {
  const started = Date.now();
  const o = await resolveImageOptions(options);
  const kernel = await resolveImageKernel(o.kernel, o.modules);
  await checkImageTools(o.format);
  await mkdir(join(o.cacheDir, 'logs'), { recursive: true });
  const output = (line: string) => options.onProgress?.({ type: 'output', line });
  const release = await acquireLock(join(o.cacheDir, '.lock'), {
    signal: options.signal,
    onWait: (pid) => output(`waiting for another image build in ${o.cacheDir} (pid ${pid})`),
  });
  try {
    const key = await loginKey(o.sshKey, o.cacheDir);
    const customize = script('customize.sh');
    const setup = script('setup.sh');
    const baseHash = hashParts([o.suite, o.mirror, ...o.packages]).slice(0, 16);
    const fingerprint = hashParts([
      BUILDER_VERSION,
      await readFile(customize, 'utf8'),
      await readFile(setup, 'utf8'),
      baseHash,
      await hashTree(o.fstests),
      kernel.version,
      await hashTree(kernel.modulesDir, { excludes: ['build', 'source'], mode: 'listing' }),
      kernel.configPath === undefined ? '' : await readFile(kernel.configPath, 'utf8'),
      o.fstyp,
      o.format,
      String(o.sizeMb),
      String(o.freeMb),
      key.publicKey,
    ]).slice(0, 16);
    const dir = join(o.cacheDir, fingerprint);
    const cached = options.force ? undefined : await readBuiltImage(dir);
    if (cached !== undefined && (await exists(cached.image))) {
      return { ...cached, kernel: kernel.path, fstests: o.fstests, cached: true };
    }
    const logPath = join(o.cacheDir, 'logs', `${fingerprint}.log`);
    const log = createWriteStream(logPath);
    const work = join(o.cacheDir, `.work-${fingerprint}`);
    const title = titles(o, kernel);
    const onStep = (step: string) => {
      const known = IMAGE_STEPS.find((s) => s === step);
      if (known) options.onProgress?.({ type: 'step', step: known, title: title[known] });
    };
    const common = { log, logPath, onLine: output, onStep, signal: options.signal };
    try {
      await rm(work, { recursive: true, force: true });
      await mkdir(work, { recursive: true });
      const base = join(o.cacheDir, `base-${o.suite}-${baseHash}.tar`);
      if (!(await exists(base))) {
        onStep('base');
        const partial = join(work, 'base.tar');
        await runStep({
          ...common,
          step: 'base',
          command: 'mmdebstrap',
          args: baseArgs({ ...o, output: partial }),
          debianPackage: 'mmdebstrap',
        });
        await rename(partial, base);
      }
      await writeFile(join(work, 'id.pub'), `${key.publicKey}\n`);
      const settings = join(work, 'settings');
      await writeFile(
        settings,
        settingsFile({
          FF_FSTESTS: o.fstests,
          FF_MODULES: kernel.modulesDir,
          FF_KCONFIG: kernel.configPath ?? '',
          FF_PUBKEY: join(work, 'id.pub'),
          FF_OUT: work,
          FF_SETUP: setup,
          FF_FSTYP: o.fstyp,
          FF_TEST_DEV: IMAGE_TEST_DEV,
          FF_SCRATCH_DEV: IMAGE_SCRATCH_DEV,
          FF_KVER: kernel.version,
          FF_JOBS: o.jobs,
          FF_SIZE_MB: o.sizeMb,
          FF_FREE_MB: o.freeMb,
        }),
      );
      onStep('unpack');
      await runStep({
        ...common,
        step: 'unpack',
        command: 'mmdebstrap',
        args: imageArgs({ suite: o.suite, base, customize, settings }),
        debianPackage: 'mmdebstrap',
      });
      let imageFile = 'rootfs.raw';
      if (o.format === 'qcow2') {
        onStep('convert');
        await runStep({
          ...common,
          step: 'convert',
          command: 'qemu-img',
          args: [
            'convert',
            '-f',
            'raw',
            '-O',
            'qcow2',
            join(work, imageFile),
            join(work, 'rootfs.qcow2'),
          ],
          debianPackage: 'qemu-utils',
        });
        await rm(join(work, imageFile));
        imageFile = 'rootfs.qcow2';
      }
      const built: BuiltImage = {
        dir,
        image: join(dir, imageFile),
        format: o.format,
        kernel: kernel.path,
        kernelVersion: kernel.version,
        initrd: join(dir, 'initrd.img'),
        sshKey: key.privateKey,
        fstests: o.fstests,
        fstyp: o.fstyp,
        scratchDrives: IMAGE_SCRATCH_DRIVES,
        fingerprint,
        buildMs: Date.now() - started,
        logPath,
      };
      await rm(join(work, 'settings'));
      await writeFile(join(work, 'image.json'), `${JSON.stringify(built, null, 2)}\n`);
      await writeFile(join(work, 'config.toml'), configSnippet(built));
      await rm(dir, { recursive: true, force: true });
      await rename(work, dir);
      return { ...built, cached: false };
    } finally {
      await rm(work, { recursive: true, force: true });
      await new Promise((done) => log.end(done));
    }
  } finally {
    await release();
  }
}
