/** One command run by a fake supervisor. */
export interface FakeExecRecord {
  /** Name of the supervisor that ran it. */
  readonly supervisor: string;
  /** The command line (`trace: <command>` for a trace). */
  readonly command: string;
  /** Order in which execs began, across every supervisor sharing the ledger. */
  readonly seq: number;
  /** How it ended: `exit`, `timeout`, `canceled`, `crash`, `killed` (by stop); `running` until then. */
  end: 'running' | 'exit' | 'timeout' | 'canceled' | 'crash' | 'killed';
}

/**
 * What ran where, shared by several fake supervisors: every exec in order, and every time a
 * command started while the same command was still running somewhere (`overlaps`).
 */
export class FakeLedger {
  /** Every exec (and trace) in the order it began. */
  readonly execs: FakeExecRecord[] = [];
  /** Commands that ran concurrently with themselves, with where. */
  readonly overlaps: string[] = [];
  readonly #running = new Map<string, string>();

  /** Record the start of `command` on `supervisor`. */
  begin(supervisor: string, command: string): FakeExecRecord {
    const other = this.#running.get(command);
    if (other !== undefined) {
      this.overlaps.push(`${command} started on ${supervisor} while running on ${other}`);
    }
    this.#running.set(command, supervisor);
    const record: FakeExecRecord = { supervisor, command, seq: this.execs.length, end: 'running' };
    this.execs.push(record);
    return record;
  }

  /** Record how `record` ended. */
  end(record: FakeExecRecord, end: Exclude<FakeExecRecord['end'], 'running'>): void {
    record.end = end;
    if (this.#running.get(record.command) === record.supervisor) {
      this.#running.delete(record.command);
    }
  }

  /** Execs of `command`, in order. */
  runsOf(command: string): FakeExecRecord[] {
    return this.execs.filter((e) => e.command === command);
  }
}
