import type { AccelChoice, AccelMode } from '../qemu/accel.js';

/** One finding of `ff doctor`. */
export interface DoctorCheck {
  /** What was checked, e.g. `qemu-system-x86_64`, `/dev/kvm`, `mkosi version`. */
  readonly name: string;
  /** The check passed. */
  readonly ok: boolean;
  /** False for what a run can do without (e.g. /dev/vhost-vsock: TCP is used instead). */
  readonly required: boolean;
  /** What was found (a version, a path, the error). */
  readonly detail: string;
  /** What to do about it; present when `ok` is false. */
  readonly fix?: string;
}

/** How a command ended, for the doctor (never an exception). */
export interface ProbeRun {
  /** `not-found` when the executable could not be run at all. */
  readonly status: 'ok' | 'failed' | 'not-found';
  /** stdout and stderr together. */
  readonly output: string;
}

/** The doctor's view of the machine; the real one touches the system, tests pass fakes. */
export interface DoctorProbes {
  /** Run `file args` with a short timeout. */
  run(file: string, args: readonly string[], signal?: AbortSignal): Promise<ProbeRun>;
  /** Whether `path` can be opened for `mode` by this process. */
  access(path: string, mode: 'read' | 'read-write' | 'execute'): Promise<boolean>;
  /** Whether `path` is a directory with at least one entry. */
  nonEmptyDir(path: string): Promise<boolean>;
  /** The text of `path`, or undefined when it cannot be read. */
  readText(path: string): Promise<string | undefined>;
  /** The accelerator a VM would get (a KVM probe boot under `auto`). */
  detectAccel(mode: AccelMode, signal?: AbortSignal): Promise<AccelChoice>;
}

/** What a run is configured to use (the CLI maps its configuration onto this). */
export interface DoctorOptions {
  /** The local fstests checkout used to collect tests (top-level `fstests`). */
  readonly fstests?: string;
  /** The QEMU supervisor, when configured (`[qemu]` with `num` > 0). */
  readonly qemu?: {
    readonly binary?: string;
    readonly kernel?: string;
    readonly initrd?: string;
    readonly image?: string;
    /** Kernel command line (`[qemu] append`); unset: the default for the image. */
    readonly append?: string;
    /** Scratch drive sizes, in order (`[qemu] scratch_drives`). */
    readonly scratchDrives?: readonly string[];
    /** `[qemu] extra_args` (disks they add come after ff's). */
    readonly extraArgs?: readonly string[];
    readonly sshKey?: string;
    readonly accel?: AccelMode;
  };
  /** The mkosi supervisor, when configured (`[mkosi]` with `num` > 0). */
  readonly mkosi?: {
    /** The mkosi config directory. */
    readonly configDir?: string;
    readonly mkosiPath?: string;
    readonly transport?: 'auto' | 'vsock' | 'tcp';
    /** `[mkosi] build`: the run builds the image first, so a missing image is fine. */
    readonly build?: boolean;
  };
  /** Replace some probes (tests). */
  readonly probes?: Partial<DoctorProbes>;
  /** Abort the commands the checks run (`--version` probes, the KVM probe boot). */
  readonly signal?: AbortSignal;
}
