export { junitXml, classnameOf, type JunitOptions } from './junit.js';
export {
  jsonReport,
  type JsonReport,
  type JsonReportAttempt,
  type JsonReportSupervisor,
  type JsonReportTest,
} from './json-report.js';
export {
  summaryData,
  DEFAULT_HISTOGRAM_BOUNDS,
  type HistogramBucket,
  type SummaryData,
  type SummaryDataOptions,
  type SupervisorUtilisation,
} from './summary-data.js';
export { readTail, DEFAULT_TAIL_BYTES } from './tail.js';
