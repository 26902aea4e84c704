/** How a remote command ended. */
export interface RemoteExit {
  readonly exitCode: number | null;
  readonly exitSignal: string | null;
}

/** A command started on the far end, in its own process group, whatever carries it. */
export interface RunningCommand {
  /** Resolves with how the command ended, once all its output was delivered. */
  readonly exit: Promise<RemoteExit>;
  /** Resolves with the remote process-group id once the far end reported it. */
  readonly pgid: Promise<number>;
  /** The remote process-group id, once reported. */
  readonly knownPgid: number | undefined;
  /**
   * Stop waiting for the command: release what carries it (close its channel, or discard its
   * dispatcher) and resolve `exit`. Used after its group was killed and it still did not end.
   */
  abandon(): void;
}
