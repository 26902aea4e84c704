/**
 * The registry of supervisor kinds. A kind turns its part of the configuration into planned
 * supervisors (and, optionally, prepares before they start and adds `ff doctor` checks). The
 * run plan (`planRun`) and the doctor (`supervisorChecks`) both read the kinds from here.
 */
import type { Supervisor } from '@ff/parallelrunner';
import type { Config } from '../config/schema.js';
import type { DoctorCheck } from '../doctor/types.js';
import { BUILTIN_KINDS } from './builtin-kinds.js';

/** One supervisor and where fstests lives on it. */
export interface PlannedSupervisor {
  /** The supervisor to hand to the runner. */
  readonly supervisor: Supervisor;
  /** The fstests directory on that supervisor. */
  readonly fstestsDir: string;
  /**
   * How long this supervisor may take to start (VMs boot slowly under TCG): the one place its
   * start deadline is decided. `planRun` gives the runner the longest of them.
   */
  readonly startTimeoutMs: number;
}

/** What a kind gets to plan its supervisors. */
export interface KindPlanContext {
  /** Directory relative paths in the configuration are resolved against. */
  readonly baseDir: string;
  /** Where each VM's serial console log goes (`<name>.log`). */
  readonly consoleDir: string;
  /** Receives one-line notices (e.g. KVM not usable, TCG used). */
  readonly onNotice?: (message: string) => void;
}

/** What a kind gets to prepare before any supervisor starts (e.g. build an image). */
export interface KindPrepareContext {
  readonly baseDir: string;
  /** Where a build log goes, when the kind writes one. */
  readonly logDir?: string;
  /** `-f`: force a rebuild (mkosi's count). */
  readonly force?: number;
  readonly signal?: AbortSignal;
}

/** A kind of supervisor: QEMU VMs, mkosi VMs, SSH hosts, or one of yours. */
export interface SupervisorKind {
  /** Unique name, e.g. `qemu`. */
  readonly name: string;
  /** How a user asks for this kind, for "nothing to run on" messages. */
  readonly enabledBy: { readonly key: string; readonly flag: string };
  /** Whether the configuration asks for supervisors of this kind. */
  configured(config: Config): boolean;
  /** The supervisors of this kind (none when not configured). Constructs, never starts. */
  plan(config: Config, context: KindPlanContext): PlannedSupervisor[];
  /** Work before any supervisor starts. */
  prepare?(config: Config, context: KindPrepareContext): Promise<void>;
  /** `ff doctor` checks for this kind's configuration. */
  doctorChecks?(config: Config, options: { timeoutMs?: number }): Promise<DoctorCheck[]>;
}

const kinds = new Map<string, SupervisorKind>(BUILTIN_KINDS.map((k) => [k.name, k]));

/**
 * Register a kind (in registration order: supervisors are planned kind by kind). Returns a
 * function that removes it again. Throws when a kind of that name is already registered.
 */
export function registerSupervisorKind(kind: SupervisorKind): () => void {
  if (kinds.has(kind.name)) {
    throw new Error(`supervisor kind ${JSON.stringify(kind.name)} is already registered`);
  }
  kinds.set(kind.name, kind);
  return () => {
    if (kinds.get(kind.name) === kind) kinds.delete(kind.name);
  };
}

/** The registered kinds, in registration order. */
export function supervisorKinds(): readonly SupervisorKind[] {
  return [...kinds.values()];
}

/** `[custom_vm] vms, [qemu] num or [mkosi] num` and `--vms, --qemu.num, -n`. */
export function howToEnable(): { keys: string; flags: string } {
  const list = (words: string[]) =>
    words.length <= 1 ? words.join('') : `${words.slice(0, -1).join(', ')} or ${words.at(-1)}`;
  const all = supervisorKinds();
  return {
    keys: list(all.map((k) => k.enabledBy.key)),
    flags: all.map((k) => k.enabledBy.flag).join(', '),
  };
}
