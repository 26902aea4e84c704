import { describe, expect, it } from 'vitest';
import { SupervisorDiedError } from '../../src/errors.js';
import { FakeSupervisor } from '../../src/testing/fake-supervisor.js';
import { FakeLedger } from '../../src/testing/ledger.js';

describe('FakeSupervisor', () => {
  it('runs scripted commands in sequence and records them in a shared ledger', async () => {
    const ledger = new FakeLedger();
    const a = new FakeSupervisor(
      'a',
      { commands: { x: [{ exitCode: 1, stdout: 'one' }, {}] } },
      ledger,
    );
    const b = new FakeSupervisor('b', {}, ledger);
    await a.start();
    await b.start();
    const out: string[] = [];
    const first = await a.exec({ command: 'x' }, { onStdout: (c) => out.push(c.toString()) });
    const second = await a.exec({ command: 'x' });
    await b.exec({ command: 'y' });
    expect(first).toMatchObject({ exitCode: 1, timedOut: false, canceled: false });
    expect(second.exitCode).toBe(0);
    expect(out).toEqual(['one']);
    expect(ledger.execs.map((e) => `${e.supervisor}:${e.command}:${e.end}`)).toEqual([
      'a:x:exit',
      'a:x:exit',
      'b:y:exit',
    ]);
    await a.stop();
    await b.stop();
    expect(a.running || b.running).toBe(false);
  });

  it('flags a command running concurrently with itself', async () => {
    const ledger = new FakeLedger();
    const a = new FakeSupervisor('a', { default: { durationMs: 5 } }, ledger);
    const b = new FakeSupervisor('b', { default: { durationMs: 5 } }, ledger);
    await Promise.all([a.start(), b.start()]);
    await Promise.all([a.exec({ command: 'same' }), b.exec({ command: 'same' })]);
    expect(ledger.overlaps).toEqual(['same started on b while running on a']);
    await Promise.all([a.stop(), b.stop()]);
  });

  it('crashes: rejects with SupervisorDiedError, stays dead until restarted', async () => {
    const s = new FakeSupervisor('s', { commands: { boom: { crash: true, evidence: 'Oops' } } });
    await s.start();
    const error = await s.exec({ command: 'boom' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SupervisorDiedError);
    expect(error).toMatchObject({ evidence: 'Oops', code: 'ERR_SUPERVISOR_DIED' });
    expect(await s.probe()).toBe(false);
    await expect(s.exec({ command: 'other' })).rejects.toBeInstanceOf(SupervisorDiedError);
    await s.stop();
    await s.start();
    expect(await s.probe()).toBe(true);
    await s.stop();
    expect(s.starts).toBe(2);
  });

  it('hangs until the timeout or the signal; ignoreAbort settles only on stop', async () => {
    const s = new FakeSupervisor('s', {
      commands: { hang: { hang: true }, rude: { ignoreAbort: true } },
    });
    await s.start();
    expect(await s.exec({ command: 'hang' }, { timeoutMs: 5 })).toMatchObject({ timedOut: true });
    const controller = new AbortController();
    const canceled = s.exec({ command: 'hang' }, { signal: controller.signal });
    controller.abort();
    expect(await canceled).toMatchObject({ canceled: true });
    const rude = s.exec({ command: 'rude' }, { signal: AbortSignal.abort() });
    expect(s.running).toBe(true);
    await s.stop();
    await expect(rude).rejects.toBeInstanceOf(SupervisorDiedError);
    expect(s.running).toBe(false);
  });

  it('scripts starts, probes and stops; random behaviour is reproducible from the seed', async () => {
    const s = new FakeSupervisor('s', {
      start: [{ fail: 'nope' }, { delayMs: 2 }],
      probes: [false, true],
      stopFails: 'stuck',
    });
    await expect(s.start()).rejects.toThrow('nope');
    await s.start();
    expect([await s.probe(), await s.probe(), await s.probe()]).toEqual([false, true, true]);
    await expect(s.stop()).rejects.toThrow('stuck');
    const codes = async (seed: number) => {
      const r = new FakeSupervisor('r', { random: { seed, failRate: 0.5 } });
      await r.start();
      const out: (number | null)[] = [];
      for (let i = 0; i < 20; i++) out.push((await r.exec({ command: `c${i}` })).exitCode);
      await r.stop();
      return out;
    };
    const one = await codes(7);
    expect(await codes(7)).toEqual(one);
    expect(one).toContain(1);
    expect(one).toContain(0);
  });
});
