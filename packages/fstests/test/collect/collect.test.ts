import { utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SelectionOptions, collectTests } from '../../src/collect/collect.js';
import { type TempTree, makeTree, testScript } from '../support/tree.js';

let tree: TempTree;

beforeAll(async () => {
  tree = await makeTree({
    'tests/generic/001': testScript('auto quick rw'),
    'tests/generic/001.out': 'QA output created by 001\n',
    'tests/generic/002': testScript('auto quick'),
    'tests/generic/002.out': 'QA output created by 002\n',
    'tests/generic/002.cfg': 'x\n',
    'tests/generic/002.out.xfs': 'QA output created by 002\n',
    'tests/generic/003': testScript('auto rw # a trailing comment'),
    'tests/generic/010': testScript('quick dangerous'),
    'tests/generic/100-long-name': testScript('auto'),
    'tests/generic/Makefile': 'include ../../include/builddefs\n',
    'tests/xfs/001': testScript('auto quick'),
    'tests/xfs/002': testScript('dangerous_fuzzers'),
    'tests/ext4/001': testScript('auto quick'),
    'tests/btrfs/001': testScript('auto'),
    'tests/btrfs/002': `#! /bin/bash\n# ${'x'.repeat(5000)}\n_begin_fstest auto quick\n`,
    'tests/btrfs/003': '#! /bin/bash\nfoo() {\n  _begin_fstest auto\n}\n',
    'exclude.txt': '# known failures\n\ngeneric/001   # flaky\n  generic/002\n',
  });
});
afterAll(async () => {
  await tree[Symbol.asyncDispose]();
});

async function ids(options: SelectionOptions = {}): Promise<string[]> {
  const selection = await collectTests(tree.dir, { cwd: tree.dir, ...options });
  return selection.tests.map((t) => t.id);
}

const AUTO = [
  'btrfs/001',
  'btrfs/002',
  'ext4/001',
  'generic/001',
  'generic/002',
  'generic/003',
  'generic/100-long-name',
  'xfs/001',
];

describe('collectTests', () => {
  it('runs group auto when neither tests nor groups are given, reading only test files', async () => {
    expect(await ids()).toEqual(AUTO);
  });

  it('reads _begin_fstest beyond the head, ignores indented ones and trailing comments', async () => {
    expect(await ids({ groups: ['quick'] })).toContain('btrfs/002');
    expect(await ids({ groups: ['btrfs/all'] })).toEqual(['btrfs/001', 'btrfs/002', 'btrfs/003']);
    expect(await ids({ groups: ['btrfs/auto'] })).not.toContain('btrfs/003');
    expect(await ids({ groups: ['rw'] })).toEqual(['generic/001', 'generic/003']);
  });

  it('takes generic plus the file system directory, ext2/ext3 -> ext4', async () => {
    expect(await ids({ fileSystem: 'xfs' })).toEqual([
      'generic/001',
      'generic/002',
      'generic/003',
      'generic/100-long-name',
      'xfs/001',
    ]);
    expect(await ids({ fileSystem: 'ext3', groups: ['quick'] })).toEqual([
      'ext4/001',
      'generic/001',
      'generic/002',
      'generic/010',
    ]);
    expect(await ids({ fileSystem: 'tmpfs', groups: ['all'] })).toEqual([
      'generic/001',
      'generic/002',
      'generic/003',
      'generic/010',
      'generic/100-long-name',
    ]);
  });

  it('takes comma lists, repeated -g, dir/group and all', async () => {
    expect(await ids({ groups: ['quick,rw'], fileSystem: 'xfs' })).toEqual([
      'generic/001',
      'generic/002',
      'generic/003',
      'generic/010',
      'xfs/001',
    ]);
    expect(await ids({ groups: ['dangerous', 'xfs/dangerous_fuzzers'] })).toEqual([
      'generic/010',
      'xfs/002',
    ]);
    expect(await ids({ groups: ['all'] })).toHaveLength(11);
  });

  it('takes positional tests and globs, with groups added', async () => {
    expect(await ids({ tests: ['generic/0*'] })).toEqual([
      'generic/001',
      'generic/002',
      'generic/003',
      'generic/010',
    ]);
    expect(await ids({ tests: ['btrfs/*', 'tests/xfs/002'], groups: ['ext4/quick'] })).toEqual([
      'btrfs/001',
      'btrfs/002',
      'btrfs/003',
      'ext4/001',
      'xfs/002',
    ]);
    expect(await ids({ tests: ['generic/100-long-name'] })).toEqual(['generic/100-long-name']);
  });

  it('excludes groups (-x), tests (-e, globs too) and an exclude file (-E)', async () => {
    expect(await ids({ excludeGroups: ['quick'] })).toEqual([
      'btrfs/001',
      'generic/003',
      'generic/100-long-name',
    ]);
    expect(await ids({ excludeTests: ['generic/001 generic/002', 'btrfs/*'] })).toEqual([
      'ext4/001',
      'generic/003',
      'generic/100-long-name',
      'xfs/001',
    ]);
    expect(await ids({ excludeTestsFile: 'exclude.txt', fileSystem: 'xfs' })).toEqual([
      'generic/003',
      'generic/100-long-name',
      'xfs/001',
    ]);
  });

  it('gives one test per (section, test) pair for several sections', async () => {
    const one = await collectTests(tree.dir, { tests: ['generic/001'], sections: ['xfs_4k'] });
    expect(one.tests).toEqual([
      {
        id: 'generic/001',
        name: 'generic/001',
        section: 'xfs_4k',
        iteration: 1,
        groups: ['auto', 'quick', 'rw'],
      },
    ]);
    const two = await collectTests(tree.dir, {
      tests: ['generic/001', 'xfs/001'],
      sections: ['a', 'b'],
      excludeSections: ['c'],
    });
    expect(two.tests.map((t) => [t.id, t.name, t.section])).toEqual([
      ['a/generic/001', 'generic/001', 'a'],
      ['a/xfs/001', 'xfs/001', 'a'],
      ['b/generic/001', 'generic/001', 'b'],
      ['b/xfs/001', 'xfs/001', 'b'],
    ]);
    expect(two.excludeSections).toEqual(['c']);
  });

  it('iterates with ids that stay safe relative paths', async () => {
    expect(await ids({ tests: ['generic/001', 'xfs/001'], iterate: 3 })).toEqual([
      'generic/001',
      'xfs/001',
      'generic/001~2',
      'xfs/001~2',
      'generic/001~3',
      'xfs/001~3',
    ]);
    await expect(ids({ iterate: 0 })).rejects.toMatchObject({ code: 'ERR_CONFIG' });
  });

  it("never reorders: the order of a run is orderTests' (see planRun)", async () => {
    const first = await ids({ groups: ['all'] });
    expect(await ids({ groups: ['all'] })).toEqual(first);
  });
});

describe('collectTests bad input', () => {
  it('lists close matches for an unknown group', async () => {
    const error = await collectTests(tree.dir, { groups: ['quikc'] }).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'ERR_UNKNOWN_GROUP',
      group: 'quikc',
      suggestions: ['quick'],
    });
    expect(String(error)).toContain('did you mean quick?');
    await expect(collectTests(tree.dir, { groups: ['xfs/rw'] })).rejects.toMatchObject({
      code: 'ERR_UNKNOWN_GROUP',
    });
    await expect(collectTests(tree.dir, { excludeGroups: ['nope'] })).rejects.toMatchObject({
      code: 'ERR_UNKNOWN_GROUP',
    });
  });

  it('lists the known groups when none is close, and says a glob is a test pattern', async () => {
    const far = await collectTests(tree.dir, { groups: ['fuzz'] }).catch((e: unknown) => e);
    expect(far).toMatchObject({ code: 'ERR_UNKNOWN_GROUP', suggestions: [] });
    const known = 'all, auto, dangerous, dangerous_fuzzers, quick, rw';
    expect(String(far)).toContain(`unknown group "fuzz"; known groups: ${known}`);
    const inDir = await collectTests(tree.dir, { groups: ['xfs/stress'] }).catch((e) => e);
    expect(String(inDir)).toContain(
      'known groups: xfs/all, xfs/auto, xfs/dangerous_fuzzers, xfs/quick',
    );
    const noDir = await collectTests(tree.dir, { groups: ['nfs/rw'] }).catch((e) => e);
    expect(String(noDir)).toContain('unknown group "nfs/rw"; known groups: generic/rw');
    const glob = await collectTests(tree.dir, { excludeGroups: ['btrfs/*'] }).catch((e) => e);
    expect(String(glob)).toContain('"btrfs/*" looks like a test pattern');
  });

  it('rejects an unknown test with suggestions and a glob matching nothing', async () => {
    await expect(collectTests(tree.dir, { tests: ['generic/004'] })).rejects.toMatchObject({
      code: 'ERR_UNKNOWN_TEST',
      suggestions: expect.arrayContaining(['generic/001']),
    });
    await expect(collectTests(tree.dir, { tests: ['nfs/*'] })).rejects.toMatchObject({
      code: 'ERR_UNKNOWN_TEST',
    });
  });

  it('rejects shell characters in tests, exclusions and sections', async () => {
    await expect(collectTests(tree.dir, { tests: ['generic/001;reboot'] })).rejects.toMatchObject({
      code: 'ERR_INVALID_TEST_NAME',
    });
    await expect(collectTests(tree.dir, { excludeTests: ['$(id)/001'] })).rejects.toMatchObject({
      code: 'ERR_INVALID_TEST_NAME',
    });
    await expect(collectTests(tree.dir, { sections: ['a b'] })).rejects.toMatchObject({
      code: 'ERR_INVALID_SECTION',
    });
  });

  it('a missing exclude file excludes nothing and warns, naming it (as ./check does)', async () => {
    const selection = await collectTests(tree.dir, {
      cwd: tree.dir,
      excludeTestsFile: 'missing.txt',
    });
    expect(selection.tests.map((t) => t.id)).toEqual(AUTO);
    expect(selection.warnings).toEqual([
      `exclude file ${join(tree.dir, 'missing.txt')} does not exist: nothing excluded from it`,
    ]);
    expect((await collectTests(tree.dir, { cwd: tree.dir })).warnings).toEqual([]);
  });

  it('an exclude file that exists but cannot be read is an error naming it', async () => {
    // A directory: exists, but reading it fails (EISDIR), for root too.
    const error = await collectTests(tree.dir, {
      cwd: tree.dir,
      excludeTestsFile: 'tests',
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ERR_EXCLUDE_FILE', file: join(tree.dir, 'tests') });
    expect(String(error)).toContain(`cannot read exclude file ${join(tree.dir, 'tests')}`);
  });

  it('says "no tests to run" for an empty selection', async () => {
    await expect(
      collectTests(tree.dir, { groups: ['rw'], excludeGroups: ['auto'] }),
    ).rejects.toMatchObject({
      code: 'ERR_EMPTY_SELECTION',
      message: 'no tests to run',
    });
  });

  it('stops when its signal aborts', async () => {
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await expect(collectTests(tree.dir, { signal: controller.signal })).rejects.toThrow('stop');
  });

  it('rejects a missing fstests path or a tree without tests/', async () => {
    await expect(collectTests(undefined)).rejects.toMatchObject({ code: 'ERR_FSTESTS_PATH' });
    await expect(collectTests(join(tree.dir, 'tests', 'generic'))).rejects.toMatchObject({
      code: 'ERR_FSTESTS_PATH',
    });
  });
});

describe('group.list', () => {
  it('is used when newer than every test file, ignored when stale', async () => {
    await using t = await makeTree({
      'tests/xfs/001': testScript('auto'),
      'tests/xfs/002': testScript('auto'),
      'tests/xfs/group.list':
        '# QA groups control file, automatically generated.\n# See _begin_fstest in each test for details.\n\n001 auto listed\n002 auto\n',
    });
    const old = new Date('2020-01-01T00:00:00Z');
    await utimes(join(t.dir, 'tests/xfs/001'), old, old);
    await utimes(join(t.dir, 'tests/xfs/002'), old, old);
    expect(
      await collectTests(t.dir, { groups: ['listed'] }).then((s) => s.tests.map((x) => x.id)),
    ).toEqual(['xfs/001']);
    await writeFile(join(t.dir, 'tests/xfs/002'), testScript('auto listed'));
    const later = new Date(Date.now() + 60_000);
    await utimes(join(t.dir, 'tests/xfs/002'), later, later);
    // Stale: every file's _begin_fstest line is read instead, so 001 is no longer "listed".
    expect(
      await collectTests(t.dir, { groups: ['listed'] }).then((s) => s.tests.map((x) => x.id)),
    ).toEqual(['xfs/002']);
  });
});
