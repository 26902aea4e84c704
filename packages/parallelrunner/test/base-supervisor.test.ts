import { describe, expect, it } from 'vitest';
import { BaseSupervisor } from '../src/base-supervisor.js';
import type { CollectedArtifact, ExecResult, TraceHandle } from '../src/supervisor.js';
import { delay } from '../src/util/abort.js';

/** A supervisor whose start fails after `failAfterMs` and whose cleanup takes `cleanupMs`. */
class SlowCleanup extends BaseSupervisor {
  cleaned = false;
  constructor(
    private readonly failAfterMs: number,
    private readonly cleanupMs: number,
  ) {
    super('slow-cleanup');
  }
  protected async doStart(signal: AbortSignal): Promise<void> {
    await delay(this.failAfterMs, signal);
    throw new Error('boot failed');
  }
  protected async doStop(): Promise<void> {
    await delay(this.cleanupMs);
    this.cleaned = true;
  }
  async exec(): Promise<ExecResult> {
    return { exitCode: 0, exitSignal: null, timedOut: false, canceled: false, durationMs: 0 };
  }
  async collect(): Promise<CollectedArtifact[]> {
    return [];
  }
  async trace(): Promise<TraceHandle> {
    return { stop: async () => {} };
  }
}

describe('BaseSupervisor', () => {
  it('stop() during a failed start waits until the start has released everything', async () => {
    const s = new SlowCleanup(20, 300);
    const started = s.start().catch((e: unknown) => e);
    await delay(60); // the start failed and its cleanup (300 ms) is running
    await s.stop();
    expect(s.cleaned).toBe(true);
    expect(s.state).toBe('stopped');
    expect(await started).toBeInstanceOf(Error);
  });

  it('a start that times out releases what it acquired before it rejects', async () => {
    const s = new SlowCleanup(10_000, 50);
    await expect(s.start({ timeoutMs: 50 })).rejects.toThrow(/did not become ready within/);
    expect(s.cleaned).toBe(true);
    expect(s.state).toBe('idle');
    await s.stop();
    expect(s.state).toBe('stopped');
  });
});
