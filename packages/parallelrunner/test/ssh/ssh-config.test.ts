import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseHostPathSpec } from '../../src/ssh/host-spec.js';
import { SshConfigError, parseHostSpec, shellQuote } from '../../src/ssh/index.js';
import { parseSshConfig, resolveHost } from '../../src/ssh/ssh-config.js';
import { SshHostTarget } from '../../src/ssh/ssh-host-target.js';

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

  it('without config the alias is the host name; blocks keep their lines and sources', () => {
    expect(resolveHost('plain')).toMatchObject({ hostName: 'plain', identityFiles: [] });
    expect(resolveHost('nothing', config, opts).user).toBe('fallback');
    const blocks = parseSshConfig(config, '/x/config');
    expect(blocks.map((b) => b.condition)).toEqual([
      { kind: 'host', patterns: ['*'] },
      { kind: 'host', patterns: ['build*', '!build-old'] },
      { kind: 'host', patterns: ['build-old'] },
      { kind: 'host', patterns: ['jumped'] },
      { kind: 'host', patterns: ['*'] },
      { kind: 'match', criteria: [{ name: 'host', negated: false, argument: 'nothing' }] },
    ]);
    expect(blocks[1]?.lines.get('identityfile')).toEqual([9, 10]);
    expect(blocks.every((b) => b.source === '/x/config' && b.within.length === 0)).toBe(true);
  });

  it('rejects malformed lines and ports with file:line', () => {
    expect(() => parseSshConfig('Host a\n  HostName\n', '/x/config')).toThrow(
      /\/x\/config:2: expected "Keyword value"/,
    );
    expect(() => parseSshConfig('IdentityFile "unclosed\n')).toThrow(SshConfigError);
    expect(() => resolveHost('a', 'Host a\n  Port 99999\n', { source: '/x/c' })).toThrow(
      /^\/x\/c:2: Port for a is "99999"/,
    );
  });
});

describe('Match', () => {
  const at = (text: string, alias: string, extra: { user?: string } = {}) =>
    resolveHost(alias, text, { ...opts, ...extra });

  it('host tests the HostName resolved so far, originalhost the alias', () => {
    const text = [
      'Host short',
      '  HostName %h.lab.example',
      'Match host short',
      '  IdentityFile ~/never',
      'Match host *.lab.example,!*.old.lab.example',
      '  Port 2200',
      'Match originalhost short',
      '  User viaalias',
      'Match host plain',
      '  IdentityFile ~/plain',
    ].join('\n');
    expect(at(text, 'short')).toMatchObject({ port: 2200, user: 'viaalias', identityFiles: [] });
    expect(at(text, 'plain')).toMatchObject({ identityFiles: ['/home/me/plain'] });
    expect(at(text, 'plain').port).toBeUndefined();
  });

  it('user tests the user resolved so far (given, User, else local); localuser the local one', () => {
    const text = [
      'Match user root',
      '  IdentityFile ~/root_key',
      'Match user me',
      '  IdentityFile ~/me_key',
      'Match localuser m?',
      '  IdentityFile ~/local_key',
      'Host withuser',
      '  User alice',
      'Match user alice',
      '  IdentityFile ~/alice_key',
    ].join('\n');
    expect(at(text, 'x').identityFiles).toEqual(['/home/me/me_key', '/home/me/local_key']);
    expect(at(text, 'x', { user: 'root' })).toMatchObject({
      user: 'root',
      identityFiles: ['/home/me/root_key', '/home/me/local_key'],
    });
    expect(at(text, 'withuser').identityFiles).toEqual([
      '/home/me/me_key',
      '/home/me/local_key',
      '/home/me/alice_key',
    ]);
    // User names compare exactly, host names case-insensitively.
    expect(at(text, 'x', { user: 'ROOT' }).identityFiles).toEqual(['/home/me/local_key']);
    expect(at('Match host EXAMPLE.org\n  Port 2\n', 'example.ORG').port).toBe(2);
  });

  it('negation, all, canonical and final; criteria are ANDed; first value wins in file order', () => {
    const text = [
      'Match !host *.example',
      '  Port 1001',
      'Match !all',
      '  User never',
      'Match canonical all',
      '  User everyone',
      'Host a',
      '  User late',
      'Match final host a originalhost !a',
      '  IdentityFile ~/never',
      'Match final host a user everyone',
      '  IdentityFile ~/both',
    ].join('\n');
    expect(at(text, 'a')).toMatchObject({
      port: 1001,
      user: 'everyone',
      identityFiles: ['/home/me/both'],
    });
    expect(at(text, 'b.example').port).toBeUndefined();
  });

  it('exec never applies, negated or not', () => {
    const text = 'Match exec "test -e /"\n  Port 1\nMatch !exec false\n  Port 2\n';
    expect(at(text, 'a').port).toBeUndefined();
  });

  it('rejects unknown criteria, a missing argument and a combined all, naming file:line', () => {
    expect(() => parseSshConfig('Host a\nMatch tagged x\n', '/x/config')).toThrow(
      /^\/x\/config:2: unsupported Match criterion "tagged"/,
    );
    expect(() => parseSshConfig('Match host a user\n', '/x/config')).toThrow(
      /\/x\/config:1: Match user needs an argument/,
    );
    expect(() => parseSshConfig('Match all host a\n')).toThrow(/cannot be combined/);
    expect(() => parseSshConfig('Match host a all\n')).toThrow(SshConfigError);
  });
});

describe('SshHostTarget identity files', () => {
  let dir = '';
  const keygen = (name: string, passphrase: string) =>
    promisify(execFile)('ssh-keygen', [
      '-q',
      '-t',
      'ed25519',
      '-N',
      passphrase,
      '-f',
      join(dir, name),
    ]);
  const open = (identityFiles: readonly string[], agent = '') =>
    new SshHostTarget({
      host: 'box',
      sshConfigPath: join(dir, 'config'),
      identityFiles: identityFiles.map((f) => join(dir, f)),
      agent,
    }).open(AbortSignal.timeout(5000));

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ff-idkeys-'));
    await Promise.all([keygen('locked', 'secret'), keygen('plain', '')]);
    await writeFile(join(dir, 'garbage'), 'not a key\n');
    await writeFile(join(dir, 'garbage2'), '-----BEGIN OPENSSH PRIVATE KEY-----\n');
    await writeFile(join(dir, 'config'), 'Host box\n  HostName 127.0.0.1\n');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('names an encrypted identity file when no agent is available', async () => {
    const error = await open(['missing', 'locked']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SshConfigError);
    expect(String(error)).toContain(
      `identity file ${join(dir, 'locked')} is encrypted and no ssh-agent is available: load it with ssh-add, or give an unencrypted key`,
    );
    await writeFile(join(dir, 'not-a-socket'), '');
    await expect(open(['locked'], join(dir, 'not-a-socket'))).rejects.toThrow(/is encrypted/);
  });

  it('uses a later unencrypted key; names a malformed key only when it is the only one', async () => {
    const plain = await readFile(join(dir, 'plain'));
    expect((await open(['locked', 'garbage', 'plain'])).privateKey).toEqual(plain);
    await expect(open(['missing', 'garbage'])).rejects.toThrow(
      new RegExp(`identity file ${join(dir, 'garbage')} cannot be used \\(.+\\)`),
    );
    const none = await open(['garbage', 'missing', 'garbage2']);
    expect(none.privateKey).toBeUndefined();
  });

  it('keeps going with a running ssh-agent (it may hold the key)', async () => {
    const socket = join(dir, 'agent.sock');
    const agent = spawn('ssh-agent', ['-D', '-a', socket], { stdio: 'ignore' });
    const exited = new Promise((resolve) => agent.once('exit', resolve));
    try {
      const deadline = Date.now() + 5000;
      while (
        !(await stat(socket).then(
          (s) => s.isSocket(),
          () => false,
        ))
      ) {
        if (Date.now() > deadline) throw new Error('ssh-agent did not create its socket');
        await new Promise((r) => setTimeout(r, 20));
      }
      const endpoint = await open(['locked'], socket);
      expect(endpoint).toMatchObject({ host: '127.0.0.1', agent: socket });
      expect(endpoint.privateKey).toBeUndefined();
    } finally {
      agent.kill('SIGTERM');
      await exited;
    }
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
