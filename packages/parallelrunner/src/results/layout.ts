import { dirname, join, relative } from 'node:path';
import { testPath } from './test-path.js';

/** Schema version written into every JSON file of a results directory. */
export const RESULTS_SCHEMA = 1;

/** Name of the marker file that identifies a results directory. */
export const MARKER_FILE = '.ff-results.json';

/** Name of the run manifest inside a recording. */
export const RECORDING_MANIFEST = 'manifest.json';

/**
 * Name of the file, in a test's final attempt directory, holding its final result (every
 * attempt, retries, reschedules) and the id of its run. `latest/<test id>` links to such a
 * directory.
 */
export const FINAL_FILE = 'final.json';

/** File names inside an attempt directory that a trace may not take. */
export const RESERVED_ATTEMPT_FILES: ReadonlySet<string> = new Set([
  'stdout',
  'stderr',
  'artifacts',
  'result.json',
  FINAL_FILE,
]);

/**
 * Paths inside a results directory. Test ids are mapped with `testPath`; run and attempt ids and
 * labels must have been checked with `assertSafe*`.
 */
export class ResultsLayout {
  constructor(
    /** The results directory. */
    readonly root: string,
  ) {}

  /** `<root>/.ff-results.json`: the marker file (`MARKER_FILE`). */
  get marker(): string {
    return join(this.root, MARKER_FILE);
  }
  /** `<root>/tests`: attempt directories, `tests/<test id>/<attempt id>`. */
  get testsDir(): string {
    return join(this.root, 'tests');
  }
  /**
   * `<root>/latest`: one symlink per test to the final attempt directory of the newest run that
   * gave it a final result (an interrupted run never removes or replaces one).
   */
  get latestDir(): string {
    return join(this.root, 'latest');
  }
  /** `<root>/runs`: one manifest per run, `runs/<run id>.json`. */
  get runsDir(): string {
    return join(this.root, 'runs');
  }
  /** `<root>/recordings`: one directory per recording label. */
  get recordingsDir(): string {
    return join(this.root, 'recordings');
  }
  /** `<root>/history.json`: recent durations per test (`DurationHistory`). */
  get history(): string {
    return join(this.root, 'history.json');
  }
  /** `<root>/latest-run.json`: `{ schema, runId }` of the newest run started here. */
  get latestRun(): string {
    return join(this.root, 'latest-run.json');
  }
  /** `tests/<testPath(testId)>/<attemptId>`: the files of one attempt. */
  attemptDir(testId: string, attemptId: string): string {
    return join(this.testsDir, testPath(testId), attemptId);
  }
  /** `latest/<testPath(testId)>`: the symlink to the test's newest final attempt directory. */
  latestLink(testId: string): string {
    return join(this.latestDir, testPath(testId));
  }
  /** The relative target of `latest/<testId>` pointing at `attemptDir`. */
  latestTarget(testId: string, attemptDir: string): string {
    return relative(dirname(this.latestLink(testId)), attemptDir);
  }
  /** `runs/<runId>.json`: the manifest of a run. */
  manifest(runId: string): string {
    return join(this.runsDir, `${runId}.json`);
  }
  /** `recordings/<label>`: the directory of a recording. */
  recordingDir(label: string): string {
    return join(this.recordingsDir, label);
  }
  /** `recordings/<label>/manifest.json`: the run manifest of a recording. */
  recordingManifest(label: string): string {
    return join(this.recordingDir(label), RECORDING_MANIFEST);
  }
}
