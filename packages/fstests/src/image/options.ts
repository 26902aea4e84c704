import { stat } from 'node:fs/promises';
import { availableParallelism, homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { defaultKernel } from '../qemu/accel.js';
import { ImageOptionError } from './errors.js';

/** What one step of a build is doing, for a progress view. */
export type ImageProgress =
  | {
      /** A step began; `title` says what it does. */
      readonly type: 'step';
      readonly step: ImageStep;
      readonly title: string;
    }
  | {
      /** A line of build output (also in the log). */
      readonly type: 'output';
      readonly line: string;
    };

/** The steps of a build, in order (`base` is skipped when its cached tarball exists). */
export const IMAGE_STEPS = [
  'base',
  'unpack',
  'copy',
  'fstests-build',
  'system',
  'sshd',
  'local-config',
  'initrd',
  'cleanup',
  'disk',
  'convert',
] as const;

/** A step of a build. */
export type ImageStep = (typeof IMAGE_STEPS)[number];

/** Options of `buildImage`. Paths are taken as given (resolve them against your base dir). */
export interface ImageBuildOptions {
  /** The fstests checkout to compile and install at /var/lib/xfstests in the image. */
  readonly fstests: string;
  /** The kernel the image is booted with (bzImage). Default: the newest `/boot/vmlinuz-*`. */
  readonly kernel?: string;
  /**
   * Its modules: the INSTALL_MOD_PATH of `make modules_install`, or a `lib/modules/<version>`
   * directory. Default: the host's `/lib/modules/<version>`.
   */
  readonly modules?: string;
  /** The filesystem TEST_DEV is formatted with at boot (`FSTYP`). Default `ext4`. */
  readonly fstyp?: string;
  /** The Debian mirror. Default `http://deb.debian.org/debian`. */
  readonly mirror?: string;
  /** The Debian release. Default `bookworm`. */
  readonly suite?: string;
  /** Image format. Default `raw` (sparse). */
  readonly format?: 'raw' | 'qcow2';
  /** Debian packages to add to the default set (`IMAGE_PACKAGES`). Default none. */
  readonly packages?: readonly string[];
  /** Image size in MiB. Default: what the files take plus a fifth, plus `freeMb`. */
  readonly sizeMb?: number;
  /** Free space left in an image of the default size, in MiB (for results). Default 2048. */
  readonly freeMb?: number;
  /**
   * The private key `ff` logs in with; its `.pub` is authorised for root. Default: a key made
   * once in `cacheDir` (`id_ed25519`).
   */
  readonly sshKey?: string;
  /** Where images are kept, one directory per fingerprint. Default `~/.cache/fast-fstests/images`. */
  readonly cacheDir?: string;
  /** Parallel `make` jobs. Default: the number of CPUs. */
  readonly jobs?: number;
  /** Build even when an image with the same inputs exists. Default false. */
  readonly force?: boolean;
  /** Receives progress: each step as it begins, each output line. */
  readonly onProgress?: (event: ImageProgress) => void;
  /** Stops the build (its processes are terminated, nothing half-built is kept). */
  readonly signal?: AbortSignal;
}

/** The Debian packages of every image: fstests' build and run dependencies, systemd, sshd. */
export const IMAGE_PACKAGES: readonly string[] = [
  // boot, login, modules
  'systemd-sysv',
  'udev',
  'kmod',
  'initramfs-tools',
  'openssh-server',
  'iproute2',
  'procps',
  'util-linux',
  // to compile fstests
  'gcc',
  'make',
  'autoconf',
  'automake',
  'libtool',
  'libtool-bin',
  'pkgconf',
  'libacl1-dev',
  'libaio-dev',
  'libcap-dev',
  'libgdbm-dev',
  'libgdbm-compat-dev',
  'liburing-dev',
  'uuid-dev',
  'xfslibs-dev',
  // what tests run
  'acl',
  'attr',
  'bc',
  'dbench',
  'dump',
  'e2fsprogs',
  'fio',
  'gawk',
  'indent',
  'lvm2',
  'psmisc',
  'python3',
  'quota',
  'sed',
  'uuid-runtime',
  'xfsprogs',
  'xfsdump',
  'btrfs-progs',
  'sqlite3',
  'libcap2-bin',
  'keyutils',
  'file',
  'perl',
];

/** Every option of a build, checked, with its default. */
export interface ResolvedImageOptions {
  readonly fstests: string;
  readonly kernel: string;
  readonly modules: string | undefined;
  readonly fstyp: string;
  readonly mirror: string;
  readonly suite: string;
  readonly format: 'raw' | 'qcow2';
  readonly packages: readonly string[];
  readonly sizeMb: number;
  readonly freeMb: number;
  readonly sshKey: string | undefined;
  readonly cacheDir: string;
  readonly jobs: number;
}

const FSTYP = /^[a-z0-9]{1,16}$/;
const SUITE = /^[a-z0-9][a-z0-9.-]{0,31}$/;
const PACKAGE = /^[a-z0-9][a-z0-9+.-]+$/;
const MIRROR = /^(https?|file):\/\/[^\s'"\\]+$/;

function check(ok: boolean, option: string, message: string): void {
  if (!ok) throw new ImageOptionError(option, message);
}

/** The default image cache: `$XDG_CACHE_HOME/fast-fstests/images` (`~/.cache/...`). */
export function defaultImageCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const cache = env.XDG_CACHE_HOME ?? join(env.HOME ?? homedir(), '.cache');
  return resolve(cache, 'fast-fstests', 'images');
}

/** Check `options` and fill in the defaults; a bad value is an `ImageOptionError`. */
export async function resolveImageOptions(
  options: ImageBuildOptions,
): Promise<ResolvedImageOptions> {
  const fstests = resolve(options.fstests);
  const tests = await stat(join(fstests, 'tests')).catch(() => undefined);
  const checkScript = await stat(join(fstests, 'check')).catch(() => undefined);
  check(
    tests?.isDirectory() === true && checkScript?.isFile() === true,
    'fstests',
    `${fstests} is not an fstests checkout (expected a check script and a tests/ directory)`,
  );
  const kernel = options.kernel ?? (await defaultKernel());
  if (kernel === undefined) {
    throw new ImageOptionError(
      'kernel',
      'no kernel given and none in /boot (install linux-image-amd64, or pass --kernel PATH)',
    );
  }
  const fstyp = options.fstyp ?? 'ext4';
  check(FSTYP.test(fstyp), 'fstyp', `expected a filesystem type such as ext4, got "${fstyp}"`);
  const mirror = options.mirror ?? 'http://deb.debian.org/debian';
  check(MIRROR.test(mirror), 'mirror', `expected an http(s):// or file:// URL, got "${mirror}"`);
  const suite = options.suite ?? 'bookworm';
  check(SUITE.test(suite), 'suite', `expected a Debian release such as bookworm, got "${suite}"`);
  const format = options.format ?? 'raw';
  check(format === 'raw' || format === 'qcow2', 'format', `expected raw or qcow2, got "${format}"`);
  for (const p of options.packages ?? []) {
    check(PACKAGE.test(p), 'packages', `"${p}" is not a Debian package name`);
  }
  const sizeMb = options.sizeMb ?? 0;
  check(Number.isSafeInteger(sizeMb) && sizeMb >= 0, 'size', `expected MiB >= 0, got ${sizeMb}`);
  const freeMb = options.freeMb ?? 2048;
  check(Number.isSafeInteger(freeMb) && freeMb >= 0, 'free', `expected MiB >= 0, got ${freeMb}`);
  const jobs = options.jobs ?? availableParallelism();
  check(Number.isSafeInteger(jobs) && jobs >= 1, 'jobs', `expected an integer >= 1, got ${jobs}`);
  return {
    fstests,
    kernel: resolve(kernel),
    modules: options.modules === undefined ? undefined : resolve(options.modules),
    fstyp,
    mirror,
    suite,
    format,
    packages: [...new Set([...IMAGE_PACKAGES, ...(options.packages ?? [])])],
    sizeMb,
    freeMb,
    sshKey: options.sshKey === undefined ? undefined : resolve(options.sshKey),
    cacheDir: resolve(options.cacheDir ?? defaultImageCacheDir()),
    jobs,
  };
}
