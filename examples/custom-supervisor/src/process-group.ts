import { type ChildProcess, spawn } from 'node:child_process';

/** How a child ended. `error` is set when it could not be spawned at all. */
export interface ChildEnd {
  readonly exitCode: number | null;
  readonly exitSignal: string | null;
  readonly error?: Error;
}

/** Where a child's stdout and stderr go: pipes, or an open file descriptor. */
export type ChildOutput = 'pipe' | number;

/** What to run: `shell -c command` in `cwd` with exactly `env`. */
export interface GroupSpec {
  readonly shell: string;
  readonly command: string;
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  readonly output: ChildOutput;
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // ESRCH: the group is already gone.
  }
}

/**
 * A shell command running as the leader of its own process group, so that killing it ends
 * everything it started. When the shell exits, whatever it left running in its group is
 * killed too: a finished command leaves no process behind.
 */
export class GroupChild {
  /** Settles once the child ended and its output streams closed. Never rejects. */
  readonly closed: Promise<ChildEnd>;
  readonly #child: ChildProcess;

  constructor(spec: GroupSpec) {
    this.#child = spawn(spec.shell, ['-c', spec.command], {
      cwd: spec.cwd,
      env: spec.env,
      detached: true,
      stdio: ['ignore', spec.output, spec.output],
    });
    const pid = this.#child.pid;
    this.#child.on('exit', () => killGroup(pid));
    this.closed = new Promise((resolve) => {
      this.#child.on('error', (error) => resolve({ exitCode: null, exitSignal: null, error }));
      this.#child.on('close', (exitCode: number | null, exitSignal: NodeJS.Signals | null) =>
        resolve({ exitCode, exitSignal }),
      );
    });
  }

  /** The child's stdout when spawned with `output: 'pipe'`. */
  get stdout(): NodeJS.ReadableStream | null {
    return this.#child.stdout;
  }

  /** The child's stderr when spawned with `output: 'pipe'`. */
  get stderr(): NodeJS.ReadableStream | null {
    return this.#child.stderr;
  }

  /** SIGKILL the whole group and wait until the child is gone. */
  kill(): Promise<ChildEnd> {
    killGroup(this.#child.pid);
    return this.closed;
  }
}
