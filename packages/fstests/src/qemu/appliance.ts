import { spawn } from 'node:child_process';
import { packageFile } from '../util/package-file.js';
import { ApplianceBuildError } from './errors.js';

/** What `appliance/build.sh` produced (its `appliance.json`). */
export interface ApplianceInfo {
  /** Kernel image (the host's `/boot/vmlinuz-*`). */
  readonly kernel: string;
  /** The kernel's version, from its file name `vmlinuz-<version>` (e.g. `6.1.0-18-amd64`). */
  readonly kernelVersion: string;
  /** The initramfs holding the whole appliance. */
  readonly initrd: string;
  /**
   * The same system as an ext4 root disk image. Boot it with `image` (an ephemeral snapshot per
   * VM) plus `initrd`, which mounts `root=/dev/vda` and switches to it, as a distribution's
   * initramfs does.
   */
  readonly rootImage: string;
  /** Private key that logs in as root. */
  readonly privateKey: string;
  /** Path of the public half of `privateKey` (`.pub`), authorised for root in the guest. */
  readonly publicKey: string;
  /** The guest's SSH host key (`ssh-ed25519 AAAA...`), the same for every boot. */
  readonly hostPublicKey: string;
  /** Kernel command line to boot it with. */
  readonly append: string;
  /** Where the fstests-shaped suite is in the guest (`/var/lib/xfstests`). */
  readonly suite: string;
  /** A host-side copy of the guest's suite, to collect tests from. */
  readonly hostSuite: string;
  /** Hash of every input; changes when the image is rebuilt. */
  readonly fingerprint: string;
}

/** The appliance build script shipped with this package (`appliance/build.sh`). */
export function applianceScript(): string {
  const script = packageFile('appliance/build.sh');
  if (script === undefined) {
    throw new ApplianceBuildError('appliance/build.sh not found next to @ff/fstests', '');
  }
  return script;
}

function parseInfo(text: string): ApplianceInfo {
  const value: unknown = JSON.parse(text);
  const fields = [
    'kernel',
    'kernelVersion',
    'initrd',
    'rootImage',
    'privateKey',
    'publicKey',
  ] as const;
  const more = ['hostPublicKey', 'append', 'suite', 'hostSuite', 'fingerprint'] as const;
  if (typeof value !== 'object' || value === null) throw new Error('not a JSON object');
  const record = value as Record<string, unknown>;
  for (const field of [...fields, ...more]) {
    if (typeof record[field] !== 'string') throw new Error(`"${field}" is not a string`);
  }
  return value as ApplianceInfo;
}

/**
 * Build (or reuse, when no input changed) the test appliance into `outDir` by running
 * `appliance/build.sh`, and return what it produced. Extra environment (e.g.
 * `FF_APPLIANCE_SUITE`) goes in `env`.
 */
export function buildAppliance(
  outDir: string,
  options: { signal?: AbortSignal; env?: Readonly<Record<string, string>> } = {},
): Promise<ApplianceInfo> {
  const script = applianceScript();
  return new Promise((resolve, reject) => {
    const child = spawn('sh', [script, outDir], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...options.env },
      ...(options.signal ? { signal: options.signal } : {}),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    child.once('error', (cause) => {
      if (options.signal?.aborted) reject(options.signal.reason);
      else reject(new ApplianceBuildError(`cannot run ${script}`, stderr.trim(), { cause }));
    });
    child.once('close', (code) => {
      if (code !== 0) {
        reject(new ApplianceBuildError(`${script} exited with ${code}`, stderr.trim()));
        return;
      }
      try {
        resolve(parseInfo(stdout));
      } catch (cause) {
        reject(
          new ApplianceBuildError(`${script} printed no valid appliance.json`, stdout, { cause }),
        );
      }
    });
  });
}
