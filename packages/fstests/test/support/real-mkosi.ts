/**
 * Real mkosi v26 and a real fstests tree for end-to-end tests, from the vendored upstream
 * tarballs in `../shared/vendor` (never copied into the repository): unpacked at run time, mkosi
 * run from source, and the repository's fstests image (packages/fstests/mkosi) built once per
 * cache directory. Tests skip with `realMkosiSkipReason()` when the tarballs are absent.
 */
import { execFile } from 'node:child_process';
import { type Hash, createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, mkdir, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { buildMkosiImage } from '../../src/mkosi/build.js';
import { aptSources } from './apt-sources.js';

const run = promisify(execFile);
const packageDir = resolve(import.meta.dirname, '../..');
const repoRoot = resolve(packageDir, '../..');

/** `../shared` next to the repository, or `FF_SHARED_DIR` (for checkouts elsewhere, e.g. worktrees). */
export const sharedDir = process.env.FF_SHARED_DIR ?? resolve(repoRoot, '..', 'shared');
const vendor = join(sharedDir, 'vendor');
const MKOSI_TARBALL = join(vendor, 'mkosi-v26.tar.gz');
const FSTESTS_TARBALL = join(vendor, 'fstests-63a2972.tar.gz');
/** The mkosi configuration for fstests test images that the repository ships. */
export const imageConfigDir = join(packageDir, 'mkosi');
/** The stand-in `systemd-run` real mkosi v26 needs where systemd is not PID 1. */
const systemdRunShim = join(packageDir, 'test/fixtures/real-mkosi/systemd-run');

/** Why the real-mkosi tests cannot run here, or undefined when they can. */
export function realMkosiSkipReason(): string | undefined {
  for (const tarball of [MKOSI_TARBALL, FSTESTS_TARBALL]) {
    if (!existsSync(tarball)) {
      return `${tarball} is absent (a fresh clone has no ../shared/vendor): these tests need the vendored mkosi v26 and fstests trees`;
    }
  }
  return undefined;
}

/** A built fstests image and what it takes to boot it with real mkosi. */
export interface RealMkosiImage {
  /** The mkosi config directory (a copy of packages/fstests/mkosi with mkosi.key and the image). */
  readonly configDir: string;
  /** The fstests tree the image was built from (for ff's test collection on the host). */
  readonly fstests: string;
  /** Options for every mkosi invocation (the build's and each VM's). */
  readonly options: readonly string[];
  /** Environment for mkosi: PATH with the `mkosi` wrapper and the systemd-run stand-in first. */
  readonly env: Record<string, string>;
  /** The directory holding `mkosi` (the wrapper) and `systemd-run`. */
  readonly binDir: string;
  /** Milliseconds the build took; 0 when the cached image was reused. */
  readonly buildMs: number;
  /** The build log. */
  readonly buildLog: string;
}

/** `FF_REAL_MKOSI_CACHE`, else node_modules/.cache in the checkout (a CI run's clone is fresh). */
const cacheDir =
  process.env.FF_REAL_MKOSI_CACHE ?? join(repoRoot, 'node_modules', '.cache', 'ff-real-mkosi');

async function unpack(tarball: string, into: string, top: string): Promise<string> {
  const dest = join(into, top);
  if (existsSync(join(into, `.${top}.done`))) return dest;
  await rm(dest, { recursive: true, force: true });
  await mkdir(into, { recursive: true });
  await run('tar', ['-xzf', tarball, '-C', into]);
  await writeFile(join(into, `.${top}.done`), '');
  return dest;
}

/** Feed every file under `dir` (path, content, executable bits) into `hash`, in a fixed order. */
async function hashTree(dir: string, hash: Hash, rel = ''): Promise<void> {
  const entries = (await readdir(join(dir, rel), { withFileTypes: true })).sort((a, b) =>
    a.name.localeCompare(b.name),
  );
  for (const e of entries) {
    const path = join(rel, e.name);
    hash.update(`${path}\0`);
    if (e.isDirectory()) await hashTree(dir, hash, path);
    else if (e.isFile()) {
      hash.update(await readFile(join(dir, path)));
      hash.update(String((await stat(join(dir, path))).mode & 0o111));
    }
  }
}

async function writeWrapper(binDir: string, mkosiSource: string): Promise<void> {
  await mkdir(binDir, { recursive: true });
  // Debian's python3: mkosi v26 imports `pefile` (python3-pefile) through sys.executable.
  const q = (s: string) => `'${s.replaceAll("'", "'\\''")}'`;
  await writeFile(
    join(binDir, 'mkosi'),
    `#!/bin/sh\n# mkosi v26 from the vendored source tree (tests only).\nPYTHONPATH=${q(mkosiSource)} exec /usr/bin/python3 -m mkosi "$@"\n`,
    { mode: 0o755 },
  );
  await cp(systemdRunShim, join(binDir, 'systemd-run'));
}

let built: Promise<RealMkosiImage> | undefined;

/**
 * Unpack the vendored mkosi and fstests, and build the repository's fstests image with real
 * mkosi once per cache directory (keyed by the image config, the tarballs and the apt sources),
 * with `mkosi genkey`'s key beside it. Reuses a finished build.
 */
export function ensureRealMkosiImage(): Promise<RealMkosiImage> {
  built ??= build();
  return built;
}

async function build(): Promise<RealMkosiImage> {
  const src = join(cacheDir, 'src');
  const mkosiTree = await unpack(MKOSI_TARBALL, src, 'mkosi');
  const fstests = await unpack(FSTESTS_TARBALL, src, 'fstests');
  const binDir = join(cacheDir, 'bin');
  await writeWrapper(binDir, mkosiTree);
  const sources = await aptSources();
  const hash = createHash('sha256');
  await hashTree(imageConfigDir, hash);
  const key = hash
    .update(sources ?? '')
    .update(MKOSI_TARBALL + String((await stat(MKOSI_TARBALL)).size))
    .update(FSTESTS_TARBALL + String((await stat(FSTESTS_TARBALL)).size))
    .digest('hex')
    .slice(0, 16);
  const configDir = join(cacheDir, `image-${key}`);
  const sandbox = join(cacheDir, `sandbox-${key}`);
  const options = [
    // systemd-machined is not reachable where systemd is not PID 1.
    '--register=no',
    // Guests hang under KVM on these machines; ff's own QEMU VMs fall back to TCG the same way.
    '--kvm=no',
    `--build-sources=${fstests}:fstests`,
    `--cache-directory=${join(cacheDir, 'packages')}`,
    ...(sources ? [`--sandbox-tree=${sandbox}`] : []),
  ];
  const env = {
    PATH: `${binDir}:${process.env.PATH ?? '/usr/bin:/bin'}`,
    // mkosi v26 runs QEMU through systemd-run only when it sees a system bus; without that
    // scope it deadlocks (see ../shared/vendor/README.md). The stand-in runs the command in place.
    DBUS_SYSTEM_ADDRESS: 'unix:path=/nonexistent/ff-no-system-bus',
  };
  const buildLog = join(cacheDir, `build-${key}.log`);
  const image = { configDir, fstests, options, env, binDir, buildLog };
  if (existsSync(join(configDir, '.built'))) return { ...image, buildMs: 0 };

  // Builds for other inputs are stale: keep one image (100 MB or more) per cache.
  for (const name of await readdir(cacheDir)) {
    if (/^(image|sandbox|build)-/.test(name) && !name.includes(key)) {
      await rm(join(cacheDir, name), { recursive: true, force: true });
    }
  }
  const staging = `${configDir}.tmp`;
  await rm(staging, { recursive: true, force: true });
  await cp(imageConfigDir, staging, { recursive: true });
  await mkdir(join(cacheDir, 'packages'), { recursive: true });
  if (sources) {
    await mkdir(join(sandbox, 'etc/apt/sources.list.d'), { recursive: true });
    await writeFile(join(sandbox, 'etc/apt/sources.list.d/mkosi.sources'), sources);
  }
  const runEnv = { ...process.env, ...env };
  await run(join(binDir, 'mkosi'), ['genkey'], { cwd: staging, env: runEnv });
  await rm(configDir, { recursive: true, force: true });
  await rename(staging, configDir);
  const started = Date.now();
  await rm(buildLog, { force: true });
  await buildMkosiImage({ configDir, options, env, logPath: buildLog });
  const buildMs = Date.now() - started;
  await writeFile(join(configDir, '.built'), `${buildMs}\n`);
  return { ...image, buildMs };
}
