import type { AttemptOutcome, FinalTestResult, TestResult, TestStatus } from '../test.js';

/** The outcome of parsing untrusted JSON: a value or a one-line reason. */
export type Parsed<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: string };

class FieldError extends Error {}

type Obj = Readonly<Record<string, unknown>>;

const STATUSES: ReadonlySet<string> = new Set(['pass', 'fail', 'skip', 'error']);
const OUTCOMES: ReadonlySet<string> = new Set(['completed', 'crashed', 'canceled']);

export function isObject(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Run `parse`, turning a field error into `{ ok: false }`. */
export function tryParse<T>(parse: () => T): Parsed<T> {
  try {
    return { ok: true, value: parse() };
  } catch (error) {
    if (error instanceof FieldError) return { ok: false, error: error.message };
    throw error;
  }
}

export function object(value: unknown, where: string): Obj {
  if (!isObject(value)) throw new FieldError(`${where}: expected an object`);
  return value;
}

export function str(o: Obj, key: string, where: string): string {
  const v = o[key];
  if (typeof v !== 'string') throw new FieldError(`${where}.${key}: expected a string`);
  return v;
}

export function num(o: Obj, key: string, where: string): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw new FieldError(`${where}.${key}: expected a number`);
  }
  return v;
}

export function bool(o: Obj, key: string, where: string): boolean {
  const v = o[key];
  if (typeof v !== 'boolean') throw new FieldError(`${where}.${key}: expected a boolean`);
  return v;
}

export function nullable<T>(
  o: Obj,
  key: string,
  where: string,
  read: (o: Obj, key: string, where: string) => T,
): T | null {
  return o[key] === null ? null : read(o, key, where);
}

export function optional<T>(
  o: Obj,
  key: string,
  where: string,
  read: (o: Obj, key: string, where: string) => T,
): T | undefined {
  return o[key] === undefined ? undefined : read(o, key, where);
}

export function array(o: Obj, key: string, where: string): readonly unknown[] {
  const v = o[key];
  if (!Array.isArray(v)) throw new FieldError(`${where}.${key}: expected an array`);
  return v;
}

export function strings(o: Obj, key: string, where: string): readonly string[] {
  return array(o, key, where).map((v, i) => {
    if (typeof v !== 'string') throw new FieldError(`${where}.${key}[${i}]: expected a string`);
    return v;
  });
}

/** Check `o.schema` is the version this code writes. */
export function schema(o: Obj, expected: number, where: string): void {
  if (o.schema !== expected) {
    throw new FieldError(`${where}: unsupported schema ${JSON.stringify(o.schema)}`);
  }
}

function status(o: Obj, where: string): TestStatus {
  const v = str(o, 'status', where);
  if (!STATUSES.has(v)) throw new FieldError(`${where}.status: unknown status ${v}`);
  return v as TestStatus;
}

function outcome(o: Obj, where: string): AttemptOutcome {
  const v = str(o, 'outcome', where);
  if (!OUTCOMES.has(v)) throw new FieldError(`${where}.outcome: unknown outcome ${v}`);
  return v as AttemptOutcome;
}

/** Read a `TestResult` (unknown fields are dropped). Throws a field error. */
export function readTestResult(value: unknown, where: string): TestResult {
  const o = object(value, where);
  const outputDir = optional(o, 'outputDir', where, str);
  const crashEvidence = optional(o, 'crashEvidence', where, str);
  return {
    testId: str(o, 'testId', where),
    attemptId: str(o, 'attemptId', where),
    attempt: num(o, 'attempt', where),
    status: status(o, where),
    summary: str(o, 'summary', where),
    outcome: outcome(o, where),
    supervisor: str(o, 'supervisor', where),
    startedAt: num(o, 'startedAt', where),
    durationMs: num(o, 'durationMs', where),
    exitCode: nullable(o, 'exitCode', where, num),
    exitSignal: nullable(o, 'exitSignal', where, str),
    timedOut: bool(o, 'timedOut', where),
    canceled: bool(o, 'canceled', where),
    ...(outputDir === undefined ? {} : { outputDir }),
    ...(crashEvidence === undefined ? {} : { crashEvidence }),
  };
}

/** Read a `FinalTestResult` (its attempts included). Throws a field error. */
export function readFinalTestResult(value: unknown, where: string): FinalTestResult {
  const o = object(value, where);
  return {
    ...readTestResult(o, where),
    attempts: array(o, 'attempts', where).map((a, i) =>
      readTestResult(a, `${where}.attempts[${i}]`),
    ),
    retries: num(o, 'retries', where),
    reschedules: num(o, 'reschedules', where),
    flaky: bool(o, 'flaky', where),
  };
}
