import { describe, expect, it } from 'vitest';
import { parseVms } from '../../src/config/vms.js';

describe('parseVms', () => {
  it('parses HOST:PATH lists with users, ports and IPv6 hosts', () => {
    expect(parseVms('vm1:/var/lib/xfstests,user@host:2222:/path, [::1]:22:/x')).toEqual([
      { entry: 'vm1:/var/lib/xfstests', host: 'vm1', path: '/var/lib/xfstests' },
      { entry: 'user@host:2222:/path', host: 'host', user: 'user', port: 2222, path: '/path' },
      { entry: '[::1]:22:/x', host: '::1', port: 22, path: '/x' },
    ]);
    expect(parseVms(['a:/p', 'b:/q'])).toHaveLength(2);
    expect(parseVms('')).toEqual([]);
  });

  it('rejects malformed entries naming the entry and the expected form', () => {
    const cases = [
      'vm1',
      'vm1:relative',
      'vm1:70000:/p',
      'bad host:/p',
      'u;x@h:/p',
      '[::1:/p',
      'h:',
    ];
    for (const entry of cases) {
      let error: unknown;
      try {
        parseVms(`ok:/p,${entry}`);
      } catch (e) {
        error = e;
      }
      expect(error, entry).toMatchObject({ code: 'ERR_VMS', entry });
      expect(String(error)).toContain('expected HOST:PATH');
    }
  });
});
