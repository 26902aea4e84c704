import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SshConfigError } from '../../src/ssh/index.js';
import { type LoadSshConfigOptions, loadSshConfig } from '../../src/ssh/ssh-config-include.js';
import { resolveHost } from '../../src/ssh/ssh-config.js';

let home = '';

/** Write `lines` to `rel` under the temp home (creating directories). */
async function put(rel: string, lines: readonly string[]): Promise<string> {
  const path = join(home, rel);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${lines.join('\n')}\n`);
  return path;
}

/** Load `~/.ssh/config` of the temp home and resolve `alias` against it. */
async function resolveVia(alias: string, options: LoadSshConfigOptions = {}) {
  const blocks = await loadSshConfig(join(home, '.ssh', 'config'), { home, ...options });
  return resolveHost(alias, blocks, { home, localUser: 'me' });
}

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'ff-sshinc-'));
});
afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

describe('loadSshConfig Include', () => {
  it('follows relative (from ~/.ssh), ~ and absolute paths, several on one line', async () => {
    const abs = await put('elsewhere/abs.conf', ['Host *', '  IdentityFile ~/abs_key']);
    await put('.ssh/rel.conf', ['Host box', '  Port 2201']);
    await put('tilde/t.conf', ['Host box', '  User tilde']);
    await put('.ssh/config', ['Include rel.conf ~/tilde/t.conf', `Include ${abs}`]);
    expect(await resolveVia('box')).toMatchObject({
      port: 2201,
      user: 'tilde',
      identityFiles: [join(home, 'abs_key')],
    });
  });

  it('expands globs in any component in lexical order; no match is no error', async () => {
    for (const n of [6, 5, 4, 3, 2, 1]) {
      await put(`.ssh/config.d/${n}0-x.conf`, [
        'Host box',
        `  Port 220${n}`,
        `  IdentityFile ~/k${n}`,
      ]);
    }
    await put('.ssh/config.d/.hidden.conf', ['Host box', '  IdentityFile ~/hidden']);
    await mkdir(join(home, '.ssh', 'config.d', 'subdir.conf'));
    // Whole paths sort as strings: "lab-2/" before "lab/" ('-' < '/').
    await put('.ssh/hosts/lab/host.conf', ['Host box', '  User fromlab', '  IdentityFile ~/lab']);
    await put('.ssh/hosts/lab-2/host.conf', [
      'Host box',
      '  User fromlab2',
      '  IdentityFile ~/lab2',
    ]);
    await put('.ssh/config', [
      'Include config.d/*.conf nothing/*.conf missing.conf',
      'Include ~/.ssh/hosts/*/host.co?f',
    ]);
    expect(await resolveVia('box')).toMatchObject({
      port: 2201,
      user: 'fromlab2',
      identityFiles: [...[1, 2, 3, 4, 5, 6].map((n) => `k${n}`), 'lab2', 'lab'].map((f) =>
        join(home, f),
      ),
    });
  });

  it('resolves relative paths from the includeDir option', async () => {
    const base = join(home, 'base');
    await put('base/x.conf', ['Port 2203']);
    await put('.ssh/config', ['Include x.conf']);
    expect((await resolveVia('box', { includeDir: base })).port).toBe(2203);
    expect((await resolveVia('box')).port).toBeUndefined();
  });

  it('follows nested includes; a missing top file is an error unless missingOk', async () => {
    await put('.ssh/c.conf', ['Port 2204']);
    await put('.ssh/b.conf', ['Include c.conf', 'User fromb']);
    await put('.ssh/config', ['Include b.conf']);
    expect(await resolveVia('box')).toMatchObject({ port: 2204, user: 'fromb' });
    const missing = join(home, 'nope');
    await expect(loadSshConfig(missing)).rejects.toThrow(`cannot read ssh config ${missing}`);
    expect(await loadSshConfig(missing, { missingOk: true })).toEqual([]);
  });

  it('reports a loop and too deep nesting naming the chain', async () => {
    const a = await put('.ssh/a.conf', ['Include b.conf']);
    const b = await put('.ssh/b.conf', ['Port 1', 'Include a.conf']);
    const config = await put('.ssh/config', ['Include a.conf']);
    const error = await resolveVia('box').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SshConfigError);
    expect(String(error)).toContain(`${b}:2: Include loop: ${config} -> ${a} -> ${b} -> ${a}`);

    for (let i = 2; i <= 17; i++) await put(`.ssh/d${i}.conf`, [`Include d${i + 1}.conf`]);
    await put('.ssh/d18.conf', ['Port 2218']);
    await put('.ssh/config', ['Include d3.conf']);
    expect((await resolveVia('box')).port).toBe(2218);
    await put('.ssh/config', ['Include d2.conf']);
    await expect(resolveVia('box')).rejects.toThrow(
      new RegExp(
        `d17\\.conf:1: Include nested more than 16 levels deep: ${config} -> ${join(home, '.ssh', 'd2.conf')} -> .*d18\\.conf$`,
      ),
    );
  });

  it('names an unreadable matched file and the Include line', async () => {
    await mkdir(join(home, '.ssh', 'conf.d'), { recursive: true });
    const looping = join(home, '.ssh', 'conf.d', 'self');
    await symlink(looping, looping);
    const config = await put('.ssh/config', ['Host *', '  Include conf.d/*']);
    await expect(resolveVia('box')).rejects.toThrow(
      `${config}:2: cannot read included ssh config ${looping}:`,
    );
  });

  it('keeps file:line of the included file in errors', async () => {
    const inc = await put('.ssh/inc.conf', ['Host a', '', '  Port', 'Host b']);
    await put('.ssh/config', ['User x', 'Include inc.conf']);
    await expect(resolveVia('box')).rejects.toThrow(`${inc}:3: expected "Keyword value"`);
    await put('.ssh/inc.conf', ['Host a', '  Port 99999']);
    await expect(resolveVia('a')).rejects.toThrow(`${inc}:2: Port for a is "99999"`);
    await put('.ssh/inc.conf', ['Match exec true', 'Match colour blue']);
    await expect(resolveVia('a')).rejects.toThrow(`${inc}:2: unsupported Match criterion "colour"`);
  });
});

describe('Include inside Host and Match blocks', () => {
  it('applies only when the including block does, and the block resumes after it', async () => {
    await put('.ssh/lab.conf', [
      'User labuser',
      'Host *',
      '  IdentityFile ~/lab_key',
      'Match host nothing',
      '  Port 9',
    ]);
    await put('.ssh/config', [
      'Host lab',
      '  Include lab.conf',
      '  Port 2205',
      'Host *',
      '  Port 22',
    ]);
    expect(await resolveVia('lab')).toMatchObject({
      user: 'labuser',
      port: 2205,
      identityFiles: [join(home, 'lab_key')],
    });
    expect(await resolveVia('other')).toMatchObject({ port: 22, identityFiles: [] });
    expect((await resolveVia('other')).user).toBeUndefined();
  });

  it('tests the including Match once, where it stands', async () => {
    await put('.ssh/rename.conf', ['HostName renamed.example', 'Host *', '  Port 2206']);
    await put('.ssh/config', [
      'Match originalhost lab host lab',
      '  Include rename.conf',
      '  User after',
      'Match host lab',
      '  IdentityFile ~/never',
    ]);
    expect(await resolveVia('lab')).toMatchObject({
      hostName: 'renamed.example',
      port: 2206,
      user: 'after',
      identityFiles: [],
    });
  });

  it('records the enclosing conditions of included blocks', async () => {
    await put('.ssh/inner.conf', ['Port 1']);
    await put('.ssh/outer.conf', ['Host b', '  Include inner.conf']);
    await put('.ssh/config', ['Host a', '  Include outer.conf']);
    const blocks = await loadSshConfig(join(home, '.ssh', 'config'), { home });
    const inner = blocks.find((b) => b.source.endsWith('inner.conf'));
    expect(inner?.within).toEqual([
      { kind: 'host', patterns: ['a'] },
      { kind: 'host', patterns: ['b'] },
    ]);
    expect((await resolveVia('a')).port).toBeUndefined();
    expect((await resolveVia('b')).port).toBeUndefined();
  });
});
