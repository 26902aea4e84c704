import { describe, expect, it } from 'vitest';
import { supervisorStatus } from '../../src/view/summary.js';

describe('supervisorStatus', () => {
  it('says when a dead VM was not back before the run ended (died 1, restarts 0 is not "ok")', () => {
    expect(supervisorStatus({ started: true, deaths: 1, restarts: 0 })).toBe(
      'not restarted: the run ended first',
    );
    expect(supervisorStatus({ started: true, deaths: 1, restarts: 1 })).toBe('ok');
    expect(supervisorStatus({ started: true, deaths: 0, restarts: 0 })).toBe('ok');
    expect(supervisorStatus({ started: false, deaths: 0, restarts: 0 })).toBe('-');
  });
});
