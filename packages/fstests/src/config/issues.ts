/** Turning valibot issues into `ConfigIssue`s: key path, value, what was expected, suggestion. */
import type { BaseIssue } from 'valibot';
import type { ConfigIssue } from '../errors.js';
import { closestMatches } from '../util/similar.js';
import { KNOWN_KEYS } from './schema.js';

/** Describe every issue of a failed parse. */
export function toConfigIssues(issues: readonly BaseIssue<unknown>[]): ConfigIssue[] {
  return issues.map(toConfigIssue);
}

function toConfigIssue(issue: BaseIssue<unknown>): ConfigIssue {
  const keys = (issue.path ?? []).map((item) => item.key);
  const keyPath = keys
    .map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? String(k) : `.${String(k)}`))
    .join('');
  if (issue.type === 'strict_object' && issue.expected === 'never') {
    const unknown = String(keys.at(-1));
    const table = keys.slice(0, -1).join('.');
    const known = KNOWN_KEYS[table] ?? [];
    const [suggestion] = closestMatches(unknown, known, { limit: 1, maxDistance: 4 });
    const where = table === '' ? 'at the top level' : `in [${table}]`;
    const message = `unknown key ${where}`;
    return suggestion === undefined ? { keyPath, message } : { keyPath, message, suggestion };
  }
  // A length check receives the length; the value it rejects is the empty string.
  const got = issue.type === 'non_empty' ? '""' : issue.received;
  return { keyPath, message: `${expectation(issue)}, got ${got}` };
}

function expectation(issue: BaseIssue<unknown>): string {
  switch (issue.type) {
    case 'integer':
      return 'expected an integer';
    case 'min_value':
      return `expected a number >= ${String(issue.requirement)}`;
    case 'gt_value':
      return `expected a number > ${String(issue.requirement)}`;
    case 'regex':
    case 'non_empty':
      return issue.message; // the schema words these
    case 'strict_object':
      return 'expected a table';
    case 'array':
      return 'expected an array';
    default:
      return `expected ${issue.expected ?? issue.type}`;
  }
}
