import { execFile } from 'node:child_process';
import { MkosiNotFoundError, MkosiTooOldError, MkosiVersionError } from './errors.js';
import { tailLines } from './tail.js';

/** A parsed `mkosi --version`. */
export interface MkosiVersion {
  /** Major version: `26` for `26`, `25` for `25.3`. */
  readonly major: number;
  /** Minor version; 0 when none was printed. */
  readonly minor: number;
  /** The version text as printed, e.g. `26`, `25.3` or `27~devel`. */
  readonly raw: string;
}

/** What the command line must look like for one mkosi version. */
export interface MkosiFeatures {
  /** The version these features were derived from. */
  readonly version: MkosiVersion;
  /** The verb that boots a VM: `vm` since v25, `qemu` before. */
  readonly verb: 'vm' | 'qemu';
  /** Since v26 boolean options need a value (`--ephemeral=yes`). */
  readonly booleanNeedsValue: boolean;
  /** Since v26 extra QEMU arguments go after `--`. */
  readonly qemuArgsAfterDashDash: boolean;
  /** The option that sets the VM's vsock CID (`--vsock-cid` since v25, `--qemu-vsock-cid` before). */
  readonly vsockCidOption: '--vsock-cid' | '--qemu-vsock-cid';
}

/** Oldest mkosi the supervisor drives (`--machine`, ephemeral VMs and the `qemu` verb). */
export const MIN_MKOSI_VERSION = 24;
/** Version that mkosi-kernel and `ff doctor` ask for. */
export const RECOMMENDED_MKOSI_VERSION = 26;

/** Parse `mkosi --version` output (`mkosi 26`, `mkosi 25.3`, `mkosi 27~devel`); undefined if none. */
export function parseMkosiVersion(output: string): MkosiVersion | undefined {
  const m = /^\s*mkosi\s+((\d+)(?:\.(\d+))?[^\s]*)/m.exec(output);
  if (!m?.[1] || !m[2]) return undefined;
  return { major: Number(m[2]), minor: m[3] ? Number(m[3]) : 0, raw: m[1] };
}

/** The command-line dialect of `version`. */
export function mkosiFeatures(version: MkosiVersion): MkosiFeatures {
  return {
    version,
    verb: version.major >= 25 ? 'vm' : 'qemu',
    booleanNeedsValue: version.major >= 26,
    qemuArgsAfterDashDash: version.major >= 26,
    vsockCidOption: version.major >= 25 ? '--vsock-cid' : '--qemu-vsock-cid',
  };
}

/** Options of `detectMkosi`. */
export interface DetectMkosiOptions {
  /** The mkosi executable (default `mkosi`, looked up on PATH). */
  readonly mkosiPath?: string;
  /** Kill `mkosi --version` and reject with `signal.reason` when this aborts. */
  readonly signal?: AbortSignal;
  /** Give up on `mkosi --version` after this many milliseconds (default 30 000). */
  readonly timeoutMs?: number;
  /** Environment of the child (default `process.env`). */
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * Run `mkosi --version` and return the dialect to speak. Throws `MkosiNotFoundError` when it
 * cannot be run, `MkosiVersionError` (with the output tail) when it fails or prints no version,
 * and `MkosiTooOldError` below `MIN_MKOSI_VERSION`.
 */
export async function detectMkosi(options: DetectMkosiOptions = {}): Promise<MkosiFeatures> {
  const mkosiPath = options.mkosiPath ?? 'mkosi';
  const output = await new Promise<string>((resolve, reject) => {
    execFile(
      mkosiPath,
      ['--version'],
      {
        timeout: options.timeoutMs ?? 30_000,
        killSignal: 'SIGKILL',
        env: options.env ?? process.env,
        ...(options.signal ? { signal: options.signal } : {}),
      },
      (error, stdout, stderr) => {
        const text = `${stdout}${stderr}`;
        if (!error) return resolve(text);
        if (options.signal?.aborted) return reject(options.signal.reason);
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' || code === 'EACCES') {
          return reject(new MkosiNotFoundError(mkosiPath, { cause: error }));
        }
        reject(
          new MkosiVersionError(
            `"${mkosiPath} --version" failed: ${error.message.split('\n')[0]}`,
            {
              cause: error,
              outputTail: tailLines(text),
            },
          ),
        );
      },
    );
  });
  const version = parseMkosiVersion(output);
  if (!version) {
    throw new MkosiVersionError(`"${mkosiPath} --version" printed no mkosi version`, {
      outputTail: tailLines(output),
    });
  }
  if (version.major < MIN_MKOSI_VERSION) throw new MkosiTooOldError(version.raw, MIN_MKOSI_VERSION);
  return mkosiFeatures(version);
}
