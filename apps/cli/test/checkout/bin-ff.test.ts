/**
 * `ff` from a checkout, as the README sets it up: `bin/ff` linked into a directory on PATH and
 * run in a kernel tree outside the repository, and `pnpm -C <checkout> ff` run there too.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN_FF, FIXTURE, REPO } from '../support/env.js';

let dir: string;
let linux: string;
let pathDir: string;
const version = (
  JSON.parse(readFileSync(join(REPO, 'apps', 'cli', 'package.json'), 'utf8')) as {
    version: string;
  }
).version;

beforeAll(async () => {
  // What `pnpm ff` and bin/ff do first; a no-op when the checkout is built (as in CI).
  const ready = spawnSync(process.execPath, [join(REPO, 'scripts', 'bootstrap.mjs'), '--quiet']);
  expect(ready.status).toBe(0);
  dir = await mkdtemp(join(tmpdir(), 'ff-bin-'));
  pathDir = join(dir, 'home', '.local', 'bin');
  await mkdir(pathDir, { recursive: true });
  await symlink(BIN_FF, join(pathDir, 'ff')); // README: ln -s "$PWD/bin/ff" ~/.local/bin/ff
  linux = join(dir, 'linux');
  await mkdir(join(linux, 'arch', 'x86', 'boot'), { recursive: true });
  await writeFile(join(linux, 'Makefile'), 'VERSION = 6\n');
  await writeFile(join(linux, 'arch', 'x86', 'boot', 'bzImage'), 'not really a kernel\n');
  await cp(FIXTURE, join(dir, 'xfstests'), { recursive: true });
}, 180_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Run a shell command line in the kernel tree with `ff` on PATH. */
function sh(line: string, cwd = linux) {
  return spawnSync('bash', ['-c', line], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, PATH: `${pathDir}:${process.env.PATH ?? '/usr/bin:/bin'}`, CI: '1' },
  });
}

describe('bin/ff on PATH', () => {
  it('runs from a kernel tree outside the repository', () => {
    expect(sh('command -v ff').stdout.trim()).toBe(join(pathDir, 'ff'));
    expect(sh('ff --version')).toMatchObject({ status: 0, stdout: `${version}\n`, stderr: '' });
    const list = sh('ff --list -g quick --fstests ../xfstests');
    expect(list.stderr).toBe('');
    expect(list.status).toBe(0);
    expect(list.stdout).toContain('generic/001\n');
  });

  it('resolves a relative --qemu.kernel against the kernel tree', () => {
    const r = sh(
      'ff doctor --qemu.num 1 --qemu.accel tcg --qemu.kernel arch/x86/boot/bzImage --fstests ../xfstests',
    );
    expect(r.stdout).toContain(`QEMU kernel: ${join(linux, 'arch', 'x86', 'boot', 'bzImage')}`);
    expect(r.stdout).not.toContain('is missing');
  });

  it('ff completion prints a script that completes subcommands once sourced in bash', () => {
    const script = sh('ff completion');
    expect(script.status).toBe(0);
    expect(script.stderr).toBe('');
    const completed = sh(
      'source <(ff completion); COMP_WORDS=(ff co); COMP_CWORD=1; _ff_yargs_completions; ' +
        'printf "%s\\n" "${COMPREPLY[@]}"',
    );
    expect(completed.stderr).toBe('');
    expect(completed.stdout.split('\n').filter(Boolean).sort()).toEqual(['compare', 'completion']);
  });
});

describe('pnpm -C <checkout> ff, typed in a kernel tree', () => {
  it('takes paths and config.toml from the directory the user typed in (INIT_CWD)', () => {
    const r = sh(
      `pnpm -C ${JSON.stringify(REPO)} --silent ff --list -g quick --fstests ../xfstests`,
    );
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('generic/001\n');
  });

  it('pnpm --silent ff completion prints exactly the script (no pnpm banner)', () => {
    const viaPnpm = sh(`pnpm -C ${JSON.stringify(REPO)} --silent ff completion`);
    expect(viaPnpm.status).toBe(0);
    expect(viaPnpm.stdout).toBe(sh('ff completion').stdout);
  });
});
