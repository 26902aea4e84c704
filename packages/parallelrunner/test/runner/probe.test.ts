import { describe, expect, it } from 'vitest';
import { Runner } from '../../src/runner/runner.js';
import { fakeTest } from '../../src/testing/fake-test.js';
import type { FakeUnresponsive } from '../../src/testing/script.js';
import { fakes, ofType, resultOf, runRecorded } from './helpers.js';

const RETRIES = 3;
const SPACING_MS = 120;
const TIMEOUT_MS = 60;
const INTERVAL_MS = 20;
const policy = {
  probeIntervalMs: INTERVAL_MS,
  probeTimeoutMs: TIMEOUT_MS,
  probeRetries: RETRIES,
  probeRetryIntervalMs: SPACING_MS,
};

/** One supervisor, busy (probes unanswered or failing) in `spell`, running one 900 ms test. */
async function busyRun(spell: FakeUnresponsive) {
  const sups = fakes([{ default: { durationMs: 900 }, unresponsive: spell }]);
  const result = await runRecorded({ supervisors: sups, tests: [fakeTest('stress/1')], ...policy });
  return { ...result, sup: sups[0] };
}

describe('liveness probes', () => {
  // The window is just under retries x spacing, at several offsets against the probe clock.
  const window = RETRIES * SPACING_MS - 30;
  for (const afterMs of [0, 7, 45, 100]) {
    for (const fail of [false, true]) {
      it(`a supervisor that misses probes for ${window} ms (< retries x spacing) from ${afterMs} ms keeps its test (${fail ? 'probes fail' : 'probes hang'})`, async () => {
        const { summary, events, sup } = await busyRun({ afterMs, forMs: window, fail });
        expect(ofType(events, 'supervisor:died')).toEqual([]);
        expect(resultOf(summary, 'stress/1')).toMatchObject({ status: 'pass', reschedules: 0 });
        expect(sup?.starts).toBe(1);
      });
    }
  }

  it('an answer resets the count: failures that never reach retries + 1 in a row are harmless', async () => {
    const probes = [false, false, false, true, false, false, false, true, false, false, false];
    const sups = fakes([{ default: { durationMs: 900 }, probes }]);
    const { summary, events } = await runRecorded({
      supervisors: sups,
      tests: [fakeTest('t/1')],
      ...policy,
      probeRetryIntervalMs: 10,
    });
    expect(ofType(events, 'supervisor:died')).toEqual([]);
    expect(resultOf(summary, 't/1').status).toBe('pass');
  });

  it('a supervisor that stops answering is declared dead within interval + timeout + retries x (spacing + timeout)', async () => {
    const silentAfterMs = 200;
    const sups = fakes([
      {
        commands: { 'stuck/1': [{ hang: true }, {}] },
        unresponsive: { afterMs: silentAfterMs, forMs: 1e9 },
      },
    ]);
    const runner = new Runner({ supervisors: sups, tests: [fakeTest('stuck/1')], ...policy });
    let readyAt = 0;
    let diedAt = 0;
    let reason = '';
    runner.on((e) => {
      if (e.type === 'supervisor:ready') readyAt = Date.now();
      if (e.type === 'supervisor:died') {
        diedAt = Date.now();
        reason = e.reason;
      }
    });
    const summary = await runner.run();
    expect(reason).toBe('fake-0: did not answer 4 liveness probes 0.12s apart');
    // Never before the retries had their spacing; not much later than the bound (plus
    // scheduling slack on a loaded machine).
    const detectedAfter = diedAt - readyAt - silentAfterMs;
    const bound = INTERVAL_MS + TIMEOUT_MS + RETRIES * (SPACING_MS + TIMEOUT_MS);
    expect(detectedAfter).toBeGreaterThanOrEqual(RETRIES * SPACING_MS);
    expect(detectedAfter).toBeLessThan(bound + 1500);
    expect(resultOf(summary, 'stuck/1')).toMatchObject({ status: 'pass', reschedules: 1 });
    expect(resultOf(summary, 'stuck/1').attempts[0]?.outcome).toBe('crashed');
  });

  it('a definite death (the supervisor reports it) restarts at once, whatever the probe spacing', async () => {
    const sups = fakes([{ commands: { 'panic/1': [{ crash: true, durationMs: 10 }, {}] } }]);
    const t0 = Date.now();
    const { summary, events } = await runRecorded({
      supervisors: sups,
      tests: [fakeTest('panic/1')],
      probeIntervalMs: 60_000,
      probeRetryIntervalMs: 60_000,
    });
    expect(ofType(events, 'supervisor:died')).toHaveLength(1);
    expect(resultOf(summary, 'panic/1')).toMatchObject({ status: 'pass', reschedules: 1 });
    expect(Date.now() - t0).toBeLessThan(30_000);
  });
});
