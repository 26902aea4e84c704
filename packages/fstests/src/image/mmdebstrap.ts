import { shellQuote } from '@ff/parallelrunner';

/**
 * `mmdebstrap` arguments for the base system: a Debian `suite` from `mirror` with `packages`,
 * written as the tarball `output`. Unshare mode runs it in namespaces of its own (as root: a
 * mount namespace, so nothing stays mounted if it is killed; as a user: a user namespace too).
 */
export function baseArgs(o: {
  readonly suite: string;
  readonly mirror: string;
  readonly packages: readonly string[];
  readonly output: string;
}): string[] {
  return [
    '--mode=unshare',
    '--variant=apt',
    '--components=main',
    `--include=${o.packages.join(',')}`,
    o.suite,
    o.output,
    o.mirror,
  ];
}

/**
 * `mmdebstrap` arguments that unpack the base tarball and run the customize hook
 * (`customize.sh ROOT SETTINGS`) on it, writing nothing but what the hook writes.
 */
export function imageArgs(o: {
  readonly suite: string;
  readonly base: string;
  readonly customize: string;
  readonly settings: string;
}): string[] {
  return [
    '--mode=unshare',
    '--variant=custom',
    '--skip=update',
    // Without /dev: mmdebstrap makes its own device nodes and links there, and refuses to
    // replace ones the tarball brought.
    `--setup-hook=tar --numeric-owner --xattrs --xattrs-include='*' --exclude='./dev/*' -C "$1" -xf ${shellQuote(o.base)}`,
    `--customize-hook=sh ${shellQuote(o.customize)} "$1" ${shellQuote(o.settings)}`,
    o.suite,
    '/dev/null',
  ];
}

/** The customize hook's SETTINGS file (see `image/customize.sh`): one `NAME=value` a line. */
export function settingsFile(values: Readonly<Record<string, string | number>>): string {
  return Object.entries(values)
    .map(([name, value]) => `${name}=${shellQuote(String(value))}\n`)
    .join('');
}
