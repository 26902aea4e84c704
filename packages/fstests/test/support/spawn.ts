import { spawn } from 'node:child_process';
import type { CompletedRun } from '@ff/parallelrunner';
/** Running a shell command locally the way a supervisor would, for FSTest tests. */
import { FakeSupervisor } from '@ff/parallelrunner/testing';

/** Options of `runShell`. */
export interface RunShellOptions {
  /** Kill the process group after this many milliseconds. Default: never. */
  readonly timeoutMs?: number;
  /** Send this signal to the process group once stdout contains `signalOnOutput`. */
  readonly signal?: NodeJS.Signals;
  readonly signalOnOutput?: string;
  /** The shell. Default `/bin/sh`. */
  readonly shell?: readonly string[];
}

/**
 * Run `command` with `sh -c` in its own process group and resolve with a `CompletedRun`.
 * Timeouts kill the whole group (SIGKILL), so nothing is left behind.
 */
export function runShell(command: string, options: RunShellOptions = {}): Promise<CompletedRun> {
  const [shell = '/bin/sh', ...shellArgs] = options.shell ?? ['/bin/sh'];
  const started = Date.now();
  const child = spawn(shell, [...shellArgs, '-c', command], { detached: true, stdio: 'pipe' });
  const killGroup = (signal: NodeJS.Signals) => {
    if (child.pid !== undefined) process.kill(-child.pid, signal);
  };
  let stdout = '';
  let stderr = '';
  let timedOut = false;
  let signalled = false;
  child.stdout.on('data', (c: Buffer) => {
    stdout += c.toString();
    const { signal, signalOnOutput } = options;
    if (signal === undefined || signalOnOutput === undefined || signalled) return;
    if (!stdout.includes(signalOnOutput)) return;
    signalled = true;
    killGroup(signal);
  });
  child.stderr.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  const timers: NodeJS.Timeout[] = [];
  if (options.timeoutMs !== undefined) {
    timers.push(
      setTimeout(() => {
        timedOut = true;
        killGroup('SIGKILL');
      }, options.timeoutMs),
    );
  }
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (exitCode, exitSignal) => {
      for (const t of timers) clearTimeout(t);
      resolve({
        exitCode,
        exitSignal,
        timedOut,
        canceled: false,
        durationMs: Date.now() - started,
        stdout,
        stderr,
        outputTruncated: false,
        context: {
          attemptId: 'a1',
          attempt: 1,
          supervisor: 'local',
          host: new FakeSupervisor('local'),
        },
        artifacts: [],
      });
    });
  });
}
