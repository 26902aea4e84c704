import type { RunnerEvent, TestStatus } from '@ff/parallelrunner';

/** What one supervisor row shows. */
export interface SupervisorRow {
  name: string;
  state: 'spawning' | 'idle' | 'running' | 'respawning' | 'dead' | 'stopped';
  testId?: string;
  /** When the current state (or test) began, ms since the epoch. */
  since: number;
  detail?: string;
}

/**
 * The live state of a run, folded from runner events. Shared by the live and the plain views so
 * both say the same thing.
 */
export class RunState {
  readonly rows = new Map<string, SupervisorRow>();
  readonly counts: Record<TestStatus, number> = { pass: 0, fail: 0, skip: 0, error: 0 };
  finished = 0;
  reschedules = 0;
  retries = 0;
  readonly startedAt: number;
  /** Ids of tests that have finished. */
  readonly done = new Set<string>();
  /** Durations (ms) of the tests this run completed, by id. */
  readonly measured = new Map<string, number>();
  /** Start-up times (ms) of the supervisors that became ready, in order. */
  readonly startupsMs: number[] = [];

  constructor(
    readonly total: number,
    private readonly now: () => number = Date.now,
  ) {
    this.startedAt = now();
  }

  apply(event: RunnerEvent): void {
    const t = this.now();
    switch (event.type) {
      case 'supervisor:starting':
        this.set(event.supervisor, event.restart ? 'respawning' : 'spawning', t);
        break;
      case 'supervisor:ready':
        this.set(event.supervisor, 'idle', t);
        this.startupsMs.push(event.startupMs);
        break;
      case 'supervisor:failed':
        this.set(event.supervisor, 'dead', t, event.error.message);
        break;
      case 'supervisor:died':
        this.set(event.supervisor, 'respawning', t, event.reason);
        break;
      case 'supervisor:stopped': {
        const row = this.rows.get(event.supervisor);
        if (row?.state !== 'dead') this.set(event.supervisor, 'stopped', t);
        break;
      }
      case 'test:started': {
        this.set(event.supervisor, 'running', event.startedAt);
        const row = this.rows.get(event.supervisor);
        if (row) row.testId = event.testId;
        break;
      }
      case 'test:rescheduled':
        this.reschedules++;
        break;
      case 'test:retried':
        this.retries++;
        break;
      case 'test:finished': {
        this.finished++;
        this.counts[event.result.status]++;
        this.done.add(event.result.testId);
        if (event.result.outcome === 'completed') {
          this.measured.set(event.result.testId, event.result.durationMs);
        }
        const row = this.rows.get(event.result.supervisor);
        if (row?.state === 'running' && row.testId === event.result.testId) {
          this.set(event.result.supervisor, 'idle', t);
        }
        break;
      }
      case 'supervisor:restarted':
      case 'run:finished':
        break;
    }
  }

  private set(name: string, state: SupervisorRow['state'], since: number, detail?: string): void {
    const row: SupervisorRow = { name, state, since };
    if (detail !== undefined) row.detail = detail;
    this.rows.set(name, row);
  }
}
