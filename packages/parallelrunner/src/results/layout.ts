import { dirname, join, relative } from 'node:path';

/** Schema version written into every JSON file of a results directory. */
export const RESULTS_SCHEMA = 1;

/** Name of the marker file that identifies a results directory. */
export const MARKER_FILE = '.ff-results.json';

/** Name of the run manifest inside a recording. */
export const RECORDING_MANIFEST = 'manifest.json';

/** File names inside an attempt directory that a trace may not take. */
export const RESERVED_ATTEMPT_FILES: ReadonlySet<string> = new Set([
  'stdout',
  'stderr',
  'artifacts',
  'result.json',
]);

/** Paths inside a results directory. All ids must have been checked with `assertSafe*`. */
export class ResultsLayout {
  constructor(readonly root: string) {}

  get marker(): string {
    return join(this.root, MARKER_FILE);
  }
  get testsDir(): string {
    return join(this.root, 'tests');
  }
  get latestDir(): string {
    return join(this.root, 'latest');
  }
  get runsDir(): string {
    return join(this.root, 'runs');
  }
  get recordingsDir(): string {
    return join(this.root, 'recordings');
  }
  get history(): string {
    return join(this.root, 'history.json');
  }
  /** Small pointer to the newest run: `{ runId }`. */
  get latestRun(): string {
    return join(this.root, 'latest-run.json');
  }
  attemptDir(testId: string, attemptId: string): string {
    return join(this.testsDir, testId, attemptId);
  }
  latestLink(testId: string): string {
    return join(this.latestDir, testId);
  }
  /** The relative target of `latest/<testId>` pointing at `attemptDir`. */
  latestTarget(testId: string, attemptDir: string): string {
    return relative(dirname(this.latestLink(testId)), attemptDir);
  }
  manifest(runId: string): string {
    return join(this.runsDir, `${runId}.json`);
  }
  recordingDir(label: string): string {
    return join(this.recordingsDir, label);
  }
  recordingManifest(label: string): string {
    return join(this.recordingDir(label), RECORDING_MANIFEST);
  }
}
