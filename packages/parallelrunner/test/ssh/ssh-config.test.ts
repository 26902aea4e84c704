import { execFile } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  SshConfigError,
  parseHostPathSpec,
  parseHostSpec,
  parseSshConfig,
  resolveHost,
  shellQuote,
} from '../../src/ssh/index.js';

const config = `
# global defaults come first
User fallback
IdentityFile ~/.ssh/global_key

Host build* !build-old
  HostName %h.lab.example
  Port 2222
  IdentityFile "~/keys/build key"
  IdentityFile %d/.ssh/id_%u_%r

Host build-old
  HostName 10.0.0.9

Host jumped
  HostName=10.1.1.1
  ProxyJump gate@bastion:2200,inner
  UserKnownHostsFile ~/.ssh/kh1 /etc/ssh/kh2
  StrictHostKeyChecking Accept-New

Host *
  Port 22
  User late

Match host nothing
  User never
`;

const opts = { home: '/home/me', localUser: 'me' };

describe('parseSshConfig / resolveHost', () => {
  it('applies matching blocks in order: first value wins, IdentityFile accumulates', () => {
    const h = resolveHost('build7', config, opts);
    expect(h).toEqual({
      alias: 'build7',
      hostName: 'build7.lab.example',
      user: 'fallback',
      port: 2222,
      identityFiles: [
        '/home/me/.ssh/global_key',
        '/home/me/keys/build key',
        '/home/me/.ssh/id_me_fallback',
      ],
      proxyJump: [],
      userKnownHostsFiles: [],
    });
  });

  it('honours negated patterns, key=value, ProxyJump chains and known-hosts options', () => {
    expect(resolveHost('build-old', config, opts)).toMatchObject({
      hostName: '10.0.0.9',
      port: 22,
    });
    expect(resolveHost('jumped', config, opts)).toMatchObject({
      hostName: '10.1.1.1',
      proxyJump: ['gate@bastion:2200', 'inner'],
      userKnownHostsFiles: ['/home/me/.ssh/kh1', '/etc/ssh/kh2'],
      strictHostKeyChecking: 'accept-new',
    });
  });

  it('without config the alias is the host name; Match blocks never apply', () => {
    expect(resolveHost('plain')).toMatchObject({ hostName: 'plain', identityFiles: [] });
    expect(resolveHost('nothing', config, opts).user).toBe('fallback');
    expect(parseSshConfig(config).map((b) => b.patterns)).toEqual([
      ['*'],
      ['build*', '!build-old'],
      ['build-old'],
      ['jumped'],
      ['*'],
      [],
    ]);
  });

  it('rejects malformed lines and ports with file:line', () => {
    expect(() => parseSshConfig('Host a\n  HostName\n', '/x/config')).toThrow(
      /\/x\/config:2: expected "Keyword value"/,
    );
    expect(() => parseSshConfig('IdentityFile "unclosed\n')).toThrow(SshConfigError);
    expect(() => resolveHost('a', 'Port 99999\n')).toThrow(/Port for a is "99999"/);
  });
});

describe('host specs', () => {
  it('parses [user@]host[:port] including IPv6', () => {
    expect(parseHostSpec('vm1')).toEqual({ host: 'vm1' });
    expect(parseHostSpec('root@vm1:2222')).toEqual({ user: 'root', host: 'vm1', port: 2222 });
    expect(parseHostSpec('[::1]:22')).toEqual({ host: '::1', port: 22 });
    expect(() => parseHostSpec('vm1:0')).toThrow(SshConfigError);
    expect(() => parseHostSpec('@vm1')).toThrow(SshConfigError);
    expect(() => parseHostSpec('a:b:c')).toThrow(/expected \[user@\]host\[:port\]/);
  });

  it('splits HOST:PATH at the first :/', () => {
    expect(parseHostPathSpec('vm1:/var/lib/xfstests')).toEqual({
      host: 'vm1',
      path: '/var/lib/xfstests',
    });
    expect(parseHostPathSpec('root@vm1:2222:/srv/x:y')).toEqual({
      host: 'root@vm1:2222',
      path: '/srv/x:y',
    });
    expect(() => parseHostPathSpec('vm1:relative')).toThrow(/HOST:\/absolute\/path/);
  });
});

describe('shellQuote', () => {
  it('round-trips awkward strings through a real sh', async () => {
    const values = ["it's", 'a b', '$HOME `id` "x" \\n', '', "'", '*?[]!;&|<>(){}~#\n\t'];
    const script = `printf '%s\\0' ${values.map(shellQuote).join(' ')}`;
    const out = await new Promise<string>((resolve, reject) =>
      execFile('sh', ['-c', script], (error, stdout) => (error ? reject(error) : resolve(stdout))),
    );
    expect(out.split('\0').slice(0, -1)).toEqual(values);
  });
});
