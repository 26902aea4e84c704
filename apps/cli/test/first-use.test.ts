/**
 * What a new user types first, run as the README shows it (`ff ...`), from a directory outside
 * the repository: exit statuses and output bytes. Nothing here needs a host or a VM.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FF, FIXTURE, ff } from './support/env.js';
import { realFstestsMissing, unpackRealFstests } from './support/vendor.js';

let dir: string;
let fstests: string;
const cliPackage = JSON.parse(
  readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
) as { version: string };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ff-first-'));
  fstests = join(dir, 'xfstests');
  await cp(FIXTURE, fstests, { recursive: true });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const list = async (...args: string[]) => {
  const r = await ff(['--list', '--fstests', fstests, ...args], { cwd: dir });
  return { ...r, tests: r.stdout.split('\n').filter((l) => l !== '') };
};

describe('ff --version, ff completion', () => {
  it("--version prints the package's version and nothing else", async () => {
    const r = await ff(['--version'], { cwd: dir });
    expect(r).toMatchObject({ code: 0, stdout: `${cliPackage.version}\n`, stderr: '' });
  });

  it('completion prints only the completion script and exits 0', async () => {
    const r = await ff(['completion'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout.startsWith('###-begin-ff-completions-###\n')).toBe(true);
    expect(r.stdout.trimEnd().endsWith('###-end-ff-completions-###')).toBe(true);
    expect(r.stdout).toContain('ff --get-yargs-completions');
  });
});

describe('list-taking flags take one value each; the words after them are tests', () => {
  const q = ['ext4/001', 'generic/002', 'generic/004', 'generic/009-long-name', 'xfs/001'];
  it.each([
    {
      what: '-x GROUP TEST...: the glob is a test, not a second group',
      args: ['-x', 'rw', 'generic/00*'],
      tests: ['002', '004', '005', '007', '008', '009-long-name'].map((n) => `generic/${n}`),
    },
    {
      what: '-g GROUP -x GROUP TEST, as ./check -g auto -x dangerous generic/001',
      args: ['-g', 'quick', '-x', 'rw', 'generic/007'],
      tests: [...q.slice(0, 3), 'generic/007', ...q.slice(3)],
    },
    {
      what: '-e TEST GLOB excludes the one test from the glob',
      args: ['-e', 'generic/002', 'generic/00[1-4]'],
      tests: ['generic/001', 'generic/003', 'generic/004'],
    },
  ])('$what', async ({ args, tests }) => {
    const r = await list(...args);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.tests).toEqual(tests);
  });

  it('comma lists and repeated flags still work, and mean the same', async () => {
    const comma = await list('-g', 'quick,hang', '-x', 'rw,abnormal');
    const repeated = await list('-g', 'quick', '-g', 'hang', '-x', 'rw', '-x', 'abnormal');
    expect(comma.code).toBe(0);
    expect(comma.tests).toContain('generic/007');
    expect(comma.tests).not.toContain('generic/001');
    expect(repeated.tests).toEqual(comma.tests);
  });

  it('a list flag without a value is a usage error naming it', async () => {
    const r = await ff(['--list', '--fstests', fstests, '-x'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("ff: Not enough arguments following: x\nRun 'ff --help' for usage.\n");
  });
});

const realTitle = `the issue's commands on the real fstests tree${
  realFstestsMissing === undefined ? '' : ` (skipped: ${realFstestsMissing})`
}`;
describe.skipIf(realFstestsMissing !== undefined)(realTitle, () => {
  let real: string;
  const ids = async (...args: string[]) => {
    const r = await ff(['--list', '--fstests', real, ...args], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    return r.stdout.split('\n').filter((l) => l !== '');
  };
  beforeAll(async () => {
    real = await unpackRealFstests();
  });
  afterAll(async () => {
    if (real !== undefined) await rm(dirname(real), { recursive: true, force: true });
  });

  it("ff -x dangerous 'btrfs/*': every btrfs test but the dangerous ones", async () => {
    const all = await ids('btrfs/*');
    const dangerous = new Set(await ids('-g', 'btrfs/dangerous'));
    expect(dangerous.size).toBeGreaterThan(0);
    expect(await ids('-x', 'dangerous', 'btrfs/*')).toEqual(all.filter((t) => !dangerous.has(t)));
  });

  it('ff -g auto -x dangerous generic/001: auto without dangerous, plus generic/001', async () => {
    const picked = await ids('-g', 'auto', '-x', 'dangerous', 'generic/001');
    expect(picked).toContain('generic/001');
    const dangerous = new Set(await ids('-g', 'dangerous'));
    expect(picked.filter((t) => dangerous.has(t))).toEqual([]);
  });

  it("ff -e btrfs/002 'btrfs/*': every btrfs test but btrfs/002", async () => {
    const all = await ids('btrfs/*');
    expect(all).toContain('btrfs/002');
    expect(await ids('-e', 'btrfs/002', 'btrfs/*')).toEqual(all.filter((t) => t !== 'btrfs/002'));
  });
});

describe('output into a pipe', () => {
  it('a reader that goes away (ff --list | head) is no error: exit 0, nothing on stderr', () => {
    // `true` exits before ff's first write, which then meets a closed pipe (EPIPE).
    const r = spawnSync(
      'bash',
      ['-c', 'set -o pipefail; node "$1" --list -g all --fstests "$2" | true', 'bash', FF, fstests],
      { cwd: dir, encoding: 'utf8' },
    );
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});

describe('-E FILE', () => {
  it('a missing file is a warning naming it, and the run goes on (as ./check does)', async () => {
    const r = await list('-g', 'quick', '-E', 'no-such-exclude.txt');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(
      `ff: warning: exclude file ${join(dir, 'no-such-exclude.txt')} does not exist: nothing excluded from it\n`,
    );
    expect(r.tests).toContain('generic/001');
  });
});

describe('mistakes that get a pointer to the fix', () => {
  it('a mistyped subcommand is an error suggesting the command, not a test name', async () => {
    const r = await ff(['comapre'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('ff: unknown command "comapre": did you mean "ff compare"?\n');
    const far = await ff(['frobnicate'], { cwd: dir });
    expect(far.code).toBe(2);
    expect(far.stderr).toBe(
      'ff: unknown command "frobnicate": commands: compare, record, doctor, demo, completion; ' +
        'tests are named DIR/NAME (generic/001, xfs/*)\n',
    );
  });

  it('an unknown group suggests the nearest, or lists the known ones', async () => {
    const near = await list('-g', 'quik');
    expect(near.code).toBe(2);
    expect(near.stderr).toBe('ff: unknown group "quik"; did you mean quick?\n');
    const far = await list('-g', 'stress');
    expect(far.code).toBe(2);
    expect(far.stderr).toBe(
      'ff: unknown group "stress"; known groups: abnormal, all, auto, hang, quick, rw\n',
    );
  });

  it('no fstests path: names --fstests, FAST_FSTESTS_CONFIG_PATH and the example config', async () => {
    const empty = join(dir, 'empty');
    await mkdir(empty, { recursive: true });
    const r = await ff(['-g', 'quick'], { cwd: empty });
    expect(r.code).toBe(2);
    const example = join(FIXTURE, '..', '..', '..', 'config.toml.example');
    expect(existsSync(example)).toBe(true);
    expect(r.stderr).toBe(
      [
        `ff: no fstests path (no config.toml in ${empty} and FAST_FSTESTS_CONFIG_PATH is not `,
        'set): give the local fstests checkout to collect tests from with --fstests DIR, or set ',
        'fstests = "DIR" in config.toml (in the working directory, or the file named by ',
        `FAST_FSTESTS_CONFIG_PATH); every key is described in ${example}\n`,
      ].join(''),
    );
  });

  it('compare and record without results say what to run first', async () => {
    const cmp = await ff(['compare'], { cwd: dir });
    expect(cmp.code).toBe(2);
    expect(cmp.stderr).toBe(
      [
        `ff: nothing to compare: no results in ${join(dir, 'results')} yet; run tests first `,
        '(e.g. `ff -g quick`) or give the results directory with --results-dir DIR\n',
      ].join(''),
    );
    const rec = await ff(['record', 'base'], { cwd: dir });
    expect(rec.code).toBe(2);
    expect(rec.stderr).toMatch(/^ff: nothing to record: no results in .* run tests first/);
  });
});

describe('paths', () => {
  it('command-line paths resolve against the working directory, config paths against the file', async () => {
    // config.toml elsewhere names the tree relative to itself; the exclude file is given
    // relative to where ff runs.
    const conf = join(dir, 'conf');
    const work = join(dir, 'work');
    await mkdir(conf, { recursive: true });
    await mkdir(work, { recursive: true });
    await writeFile(join(conf, 'config.toml'), 'fstests = "../xfstests"\n');
    await writeFile(join(work, 'exclude.txt'), 'generic/002\n');
    const env = { FAST_FSTESTS_CONFIG_PATH: join(conf, 'config.toml') };
    const r = await ff(['--list', '-g', 'quick', '-E', 'exclude.txt'], { cwd: work, env });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('generic/001\n');
    expect(r.stdout).not.toContain('generic/002');
    // And --fstests given on the command line is relative to the working directory.
    const flag = await ff(['--list', '-g', 'quick', '--fstests', '../xfstests'], { cwd: work });
    expect(flag.code).toBe(0);
    expect(flag.stdout).toContain('generic/002\n');
  });
});
