import { describe, expect, it } from 'vitest';
import { clearAccelCache, detectAccel } from '../../src/qemu/accel.js';
import { QemuAccelError } from '../../src/qemu/errors.js';
import { qemuChildren } from '../support/appliance.js';

describe('detectAccel', () => {
  it('takes tcg as given, without probing', async () => {
    expect(await detectAccel('tcg')).toEqual({ accel: 'tcg' });
  });

  it('rejects kvm when the device is not accessible', async () => {
    await expect(detectAccel('kvm', { kvmDevice: '/nonexistent/kvm' })).rejects.toThrow(
      QemuAccelError,
    );
  });

  it('auto without a usable device falls back to TCG with a notice', async () => {
    const choice = await detectAccel('auto', { kvmDevice: '/nonexistent/kvm' });
    expect(choice.accel).toBe('tcg');
    expect(choice.notice).toMatch(/^KVM not used: \/nonexistent\/kvm is not usable .*using TCG/);
  });

  it(
    'auto answers within a bounded time here, caches it, and leaves no probe running',
    { timeout: 30_000 },
    async () => {
      clearAccelCache();
      const started = performance.now();
      const choice = await detectAccel('auto', { probeTimeoutMs: 5000 });
      const ms = Math.round(performance.now() - started);
      console.log(
        `detectAccel('auto') -> ${choice.accel} in ${ms} ms${choice.notice ? `: ${choice.notice}` : ''}`,
      );
      // On this machine /dev/kvm exists but guests hang under it: the probe must notice.
      if (process.env.FF_EXPECT_ACCEL) expect(choice.accel).toBe(process.env.FF_EXPECT_ACCEL);
      if (choice.accel === 'tcg') expect(choice.notice).toMatch(/using TCG/);
      expect(ms).toBeLessThan(5000 + 5000);
      expect(qemuChildren()).toEqual([]);
      const again = performance.now();
      expect(await detectAccel('auto', { probeTimeoutMs: 5000 })).toEqual(choice);
      expect(performance.now() - again).toBeLessThan(50);
    },
  );

  it('honours an aborted signal', async () => {
    await expect(
      detectAccel('auto', { signal: AbortSignal.abort(new Error('stop')) }),
    ).rejects.toThrow('stop');
  });
});
