import { ResultsStore } from '@ff/parallelrunner';
import { noResultsYet } from '../hints.js';

/** The ids that failed or errored in SOURCE (undefined: the latest results) of the results directory. */
export async function loadFailures(resultsDir: string, source?: string): Promise<string[]> {
  const store = await ResultsStore.open(resultsDir, { readOnly: true }).catch((error: unknown) => {
    throw noResultsYet(resultsDir, error, 'nothing to rerun');
  });
  return store.failedTests(source);
}
