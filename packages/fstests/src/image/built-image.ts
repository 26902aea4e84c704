import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** A built image (its `image.json`), ready for the `[qemu]` section. */
export interface BuiltImage {
  /** The image's directory in the cache. */
  readonly dir: string;
  /** The root disk image (`/dev/vda` in the guest). */
  readonly image: string;
  /** Its format. */
  readonly format: 'raw' | 'qcow2';
  /** The kernel it was built for (boot it with this). */
  readonly kernel: string;
  /** That kernel's release. */
  readonly kernelVersion: string;
  /** The initrd made in the image for that kernel (loads virtio and ext4, mounts the root). */
  readonly initrd: string;
  /** The private key that logs in as root. */
  readonly sshKey: string;
  /** The fstests checkout it was built from (where `ff` collects tests). */
  readonly fstests: string;
  /** FSTYP of its local.config; TEST_DEV is formatted with it at boot. */
  readonly fstyp: string;
  /** Scratch drives its local.config expects (`[qemu] scratch_drives`). */
  readonly scratchDrives: readonly string[];
  /** The hash of every input; the directory's name. */
  readonly fingerprint: string;
  /** How long the build took, in milliseconds. */
  readonly buildMs: number;
  /** The build's log. */
  readonly logPath: string;
}

/** What `buildImage` resolves with: the image, and whether it came from the cache. */
export interface BuildImageResult extends BuiltImage {
  /** True when an image with the same inputs existed and nothing was built. */
  readonly cached: boolean;
}

/** The scratch drives the image's local.config is written for: TEST_DEV, SCRATCH_DEV. */
export const IMAGE_SCRATCH_DRIVES: readonly string[] = ['3G', '3G'];

/** Where the guest sees the scratch drives (see README: disks come root image first). */
export const IMAGE_TEST_DEV = '/dev/vdb';
export const IMAGE_SCRATCH_DEV = '/dev/vdc';

/** Read `dir/image.json`, or undefined when there is none (or it is not an image's). */
export async function readBuiltImage(dir: string): Promise<BuiltImage | undefined> {
  const text = await readFile(join(dir, 'image.json'), 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null) return undefined;
    const record = value as Record<string, unknown>;
    const strings = ['image', 'kernel', 'initrd', 'sshKey', 'fstests', 'fingerprint'] as const;
    if (strings.some((key) => typeof record[key] !== 'string')) return undefined;
    return value as BuiltImage;
  } catch {
    return undefined;
  }
}

function tomlString(value: string): string {
  return JSON.stringify(value);
}

/**
 * The `config.toml` lines that run tests on `image` with QEMU: the fstests checkout to collect
 * from, and the `[qemu]` keys (kernel, initrd, image, ssh_key, scratch_drives).
 */
export function configSnippet(image: BuiltImage): string {
  return [
    `# ff image build: fstests from ${image.fstests} on Debian, FSTYP=${image.fstyp},`,
    `# kernel ${image.kernelVersion}. In the guest: the image is /dev/vda, TEST_DEV ${IMAGE_TEST_DEV}`,
    `# (formatted at boot), SCRATCH_DEV ${IMAGE_SCRATCH_DEV}; fstests in /var/lib/xfstests.`,
    `fstests = ${tomlString(image.fstests)}`,
    '',
    '[qemu]',
    'num = 2',
    `kernel = ${tomlString(image.kernel)}`,
    `initrd = ${tomlString(image.initrd)}`,
    `image = ${tomlString(image.image)}`,
    `ssh_key = ${tomlString(image.sshKey)}`,
    `scratch_drives = [${image.scratchDrives.map(tomlString).join(', ')}]`,
    '',
  ].join('\n');
}
