import { randomBytes } from 'node:crypto';
import { MkosiOptionError } from './errors.js';
import type { MkosiFeatures } from './version.js';

/** How the host reaches the guest's SSH server. */
export type MkosiNetwork =
  /** vsock: `--vsock-cid=N` when a CID is given, else the CID mkosi picks (from the state file). */
  | { readonly kind: 'vsock'; readonly cid?: number }
  /** A QEMU user-network port forward from 127.0.0.1:`port` to the guest's port 22. */
  | { readonly kind: 'tcp'; readonly port: number };

/** Input of `buildVmArgs`. */
export interface VmArgsInput {
  /** The dialect of the installed mkosi (from `detectMkosi`). */
  readonly features: MkosiFeatures;
  /** The machine name (see `machineName`). */
  readonly machine: string;
  /** How the host reaches the guest's SSH server: vsock or a TCP port forward. */
  readonly network: MkosiNetwork;
  /** User options passed to every mkosi invocation (e.g. `--profile=fstests`). */
  readonly options?: readonly string[];
  /** Extra config files or directories, each passed as `--include=PATH`. */
  readonly include?: readonly string[];
  /** Boot a private copy of the image (required for several VMs of one image). Default true. */
  readonly ephemeral?: boolean;
  /** Extra QEMU arguments. */
  readonly qemuArgs?: readonly string[];
}

/** Input of `buildBuildArgs`. */
export interface BuildArgsInput {
  /** User options passed before the verb (e.g. `--profile=fstests`). Default none. */
  readonly options?: readonly string[];
  /** Extra config files or directories, each passed as `--include=PATH`. Default none. */
  readonly include?: readonly string[];
  /** How many `-f` to pass (more is a stronger rebuild). Default 1. */
  readonly force?: number;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9-]{0,62}$/;

/**
 * A machine name `ff-<index>-<random>`: distinct between parallel VMs and between runs, and a
 * valid host name.
 */
export function machineName(index: number, random = randomBytes(3).toString('hex')): string {
  const name = `ff-${index}-${random}`;
  if (!NAME.test(name)) throw new MkosiOptionError(`invalid machine name "${name}"`);
  return name;
}

/** The QEMU arguments of the TCP fallback: a user-network NIC forwarding `port` to guest port 22. */
export function tcpForwardQemuArgs(port: number): string[] {
  return ['-nic', `user,model=virtio-net-pci,hostfwd=tcp:127.0.0.1:${port}-:22`];
}

function bool(features: MkosiFeatures, option: string): string {
  return features.booleanNeedsValue ? `${option}=yes` : option;
}

function includeArgs(include: readonly string[] | undefined): string[] {
  return (include ?? []).map((path) => `--include=${path}`);
}

/**
 * Arguments (without the executable) that boot one VM:
 * `--machine NAME [--ephemeral=yes] [--vsock-cid=N | --runtime-network=none
 * --kernel-command-line-extra=systemd.ssh_listen=22] [--include=..] [options] vm [-- qemu args]`.
 * For mkosi older than 26 booleans take no value and QEMU arguments follow the verb directly.
 */
export function buildVmArgs(input: VmArgsInput): string[] {
  const { features, network } = input;
  if (!NAME.test(input.machine)) {
    throw new MkosiOptionError(`invalid machine name "${input.machine}"`);
  }
  const args = ['--machine', input.machine];
  if (input.ephemeral ?? true) args.push(bool(features, '--ephemeral'));
  const qemuArgs: string[] = [];
  if (network.kind === 'vsock') {
    if (network.cid !== undefined) {
      if (!Number.isInteger(network.cid) || network.cid < 3 || network.cid > 0xfffffffe) {
        throw new MkosiOptionError(`invalid vsock CID ${network.cid}: expected 3..4294967294`);
      }
      args.push(`${features.vsockCidOption}=${network.cid}`);
    }
  } else {
    if (!Number.isInteger(network.port) || network.port < 1 || network.port > 65535) {
      throw new MkosiOptionError(`invalid TCP port ${network.port}`);
    }
    args.push('--runtime-network=none', '--kernel-command-line-extra=systemd.ssh_listen=22');
    qemuArgs.push(...tcpForwardQemuArgs(network.port));
  }
  args.push(...includeArgs(input.include), ...(input.options ?? []), features.verb);
  qemuArgs.push(...(input.qemuArgs ?? []));
  if (qemuArgs.length > 0) {
    if (features.qemuArgsAfterDashDash) args.push('--');
    args.push(...qemuArgs);
  }
  return args;
}

/** Arguments (without the executable) of the build: `[--include=..] [options] -f... build`. */
export function buildBuildArgs(input: BuildArgsInput = {}): string[] {
  const force = input.force ?? 1;
  if (!Number.isInteger(force) || force < 0) {
    throw new MkosiOptionError(`invalid force count ${force}: expected an integer >= 0`);
  }
  return [
    ...includeArgs(input.include),
    ...(input.options ?? []),
    ...Array.from({ length: force }, () => '-f'),
    'build',
  ];
}
