import type { SupervisorStats } from '../summary.js';
import type { FinalTestResult, TestResult } from '../test.js';
import { RESULTS_SCHEMA } from './layout.js';
import {
  array,
  bool,
  isObject,
  nullable,
  num,
  object,
  optional,
  readFinalTestResult,
  readTestResult,
  schema,
  str,
  strings,
} from './parse.js';

/** A supervisor as recorded in a run manifest (statistics once the run has finished). */
export interface StoredSupervisor extends Partial<Omit<SupervisorStats, 'name'>> {
  /** The supervisor's name. */
  readonly name: string;
  /** Message of the error that made it leave the run. */
  readonly error?: string;
}

/** Which tests a run was asked to run. */
export interface RunSelection {
  /** Ids of the selected tests, in run order. */
  readonly testIds: readonly string[];
  /** How they were chosen (groups, exclusions, ...), as the caller described it. */
  readonly description?: Readonly<Record<string, unknown>>;
}

/** Set in the manifest of a recording. */
export interface RecordingInfo {
  /** The recording's label (its directory name under `recordings/`). */
  readonly label: string;
  /** When the recording was made (ms since the epoch). */
  readonly createdAt: number;
}

/**
 * `runs/<run-id>.json` (and `recordings/<label>/manifest.json`). Written when the run begins,
 * refreshed while it runs (`attempts` grows) and completed when it finishes (`finishedAt`,
 * `results`).
 */
export interface RunManifest {
  /** Schema version of the file (`RESULTS_SCHEMA`). */
  readonly schema: typeof RESULTS_SCHEMA;
  /** Id of the run. */
  readonly runId: string;
  /** When the run started (ms since the epoch). */
  readonly startedAt: number;
  /** `null` while the run is going on (or when `ff` died before it finished). */
  readonly finishedAt: number | null;
  /** The run was cancelled. */
  readonly canceled: boolean;
  /** The command line of the run, as given to `ResultsStore.open` (`[]` when none). */
  readonly commandLine: readonly string[];
  /** The run's supervisors: names only while it runs, statistics once it finished. */
  readonly supervisors: readonly StoredSupervisor[];
  /** Which tests the run was asked to run. */
  readonly selection: RunSelection;
  /** Versions and other facts the caller passed in (`meta`). */
  readonly meta: Readonly<Record<string, unknown>>;
  /** Final results with all their attempts (while the run is going on: those so far). */
  readonly results: readonly FinalTestResult[];
  /** Every attempt recorded so far, while the run is going on (empty once it finished). */
  readonly attempts: readonly TestResult[];
  /** Tests that never finished. */
  readonly unfinished: readonly string[];
  /** Present only in the manifest of a recording. */
  readonly recording?: RecordingInfo;
  /** A recording only: why its source was not one complete run (`LoadedRun.partial`). */
  readonly partial?: string;
}

function readSupervisor(value: unknown, where: string): StoredSupervisor {
  const o = object(value, where);
  const started = optional(o, 'started', where, bool);
  const deaths = optional(o, 'deaths', where, num);
  const restarts = optional(o, 'restarts', where, num);
  const busyMs = optional(o, 'busyMs', where, num);
  const wallMs = optional(o, 'wallMs', where, num);
  const attempts = optional(o, 'attempts', where, num);
  const error = optional(o, 'error', where, str);
  return {
    name: str(o, 'name', where),
    ...(started === undefined ? {} : { started }),
    ...(deaths === undefined ? {} : { deaths }),
    ...(restarts === undefined ? {} : { restarts }),
    ...(busyMs === undefined ? {} : { busyMs }),
    ...(wallMs === undefined ? {} : { wallMs }),
    ...(attempts === undefined ? {} : { attempts }),
    ...(error === undefined ? {} : { error }),
  };
}

/** Read a manifest. Throws a field error (use with `tryParse`). */
export function readManifest(value: unknown, where: string): RunManifest {
  const o = object(value, where);
  schema(o, RESULTS_SCHEMA, where);
  const sel = object(o.selection, `${where}.selection`);
  const description = sel.description;
  const rec = o.recording;
  const partial = optional(o, 'partial', where, str);
  return {
    schema: RESULTS_SCHEMA,
    runId: str(o, 'runId', where),
    startedAt: num(o, 'startedAt', where),
    finishedAt: nullable(o, 'finishedAt', where, num),
    canceled: bool(o, 'canceled', where),
    commandLine: strings(o, 'commandLine', where),
    supervisors: array(o, 'supervisors', where).map((s, i) =>
      readSupervisor(s, `${where}.supervisors[${i}]`),
    ),
    selection: {
      testIds: strings(sel, 'testIds', `${where}.selection`),
      ...(isObject(description) ? { description } : {}),
    },
    meta: isObject(o.meta) ? o.meta : {},
    results: array(o, 'results', where).map((r, i) =>
      readFinalTestResult(r, `${where}.results[${i}]`),
    ),
    attempts: array(o, 'attempts', where).map((r, i) =>
      readTestResult(r, `${where}.attempts[${i}]`),
    ),
    unfinished: strings(o, 'unfinished', where),
    ...(rec === undefined
      ? {}
      : {
          recording: {
            label: str(object(rec, `${where}.recording`), 'label', `${where}.recording`),
            createdAt: num(object(rec, `${where}.recording`), 'createdAt', `${where}.recording`),
          },
        }),
    ...(partial === undefined ? {} : { partial }),
  };
}
