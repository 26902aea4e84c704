import { describe, expect, it } from 'vitest';
import { parseCheckOutput } from '../../src/parse/check-output.js';

const HEADER = [
  'SECTION       -- xfs_4k',
  'FSTYP         -- xfs (debug)',
  'PLATFORM      -- Linux/x86_64 vm1 6.8.0-rc3 #1 SMP PREEMPT_DYNAMIC',
  'MKFS_OPTIONS  -- -f /dev/vdc',
  'MOUNT_OPTIONS -- /dev/vdc /mnt/scratch',
  '',
].join('\n');

describe('parseCheckOutput', () => {
  it('reads section headers and a pass line with the previous and measured seconds', () => {
    const out = parseCheckOutput(
      `${HEADER}generic/001 5s ...  4s\nRan: generic/001\nPassed all 1 tests\n\n`,
    );
    expect(out.sections).toEqual(['xfs_4k']);
    expect(out.headers.FSTYP).toBe('xfs (debug)');
    expect(out.headers.MOUNT_OPTIONS).toBe('/dev/vdc /mnt/scratch');
    expect(out.tests).toHaveLength(1);
    const [t] = out.tests;
    expect(t?.name).toBe('generic/001');
    expect(t?.section).toBe('xfs_4k');
    expect(t?.previousSeconds).toBe(5);
    expect(t?.markers).toEqual([{ kind: 'pass', line: '4s', seconds: 4 }]);
    expect(out.summaries).toEqual([
      { section: 'xfs_4k', ran: ['generic/001'], notRun: [], failures: [], passedAll: 1 },
    ]);
  });

  it('reads a pass line without timing columns (first run) and padded names', () => {
    const out = parseCheckOutput('generic/001       \t 4s\ngeneric/013-long  \t 12s\n');
    expect(out.tests.map((t) => [t.name, t.previousSeconds, t.markers[0]?.seconds])).toEqual([
      ['generic/001', undefined, 4],
      ['generic/013-long', undefined, 12],
    ]);
  });

  it('reads [not run] with its reason and [expunged]', () => {
    const out = parseCheckOutput(
      [
        'generic/017 3s ... [not run] xfs_io fiemap  failed (old kernel/wrong fs?)',
        'generic/018       [expunged]',
      ].join('\n'),
    );
    expect(out.tests[0]?.markers).toEqual([
      {
        kind: 'not-run',
        line: '[not run] xfs_io fiemap  failed (old kernel/wrong fs?)',
        reason: 'xfs_io fiemap  failed (old kernel/wrong fs?)',
      },
    ]);
    expect(out.tests[1]?.markers.map((m) => m.kind)).toEqual(['expunged']);
  });

  it('reads an output mismatch with its diff block and trailer', () => {
    const out = parseCheckOutput(
      [
        'generic/003 2s ... - output mismatch (see /var/lib/xfstests/results//generic/003.out.bad)',
        '    --- tests/generic/003.out\t2024-01-01 00:00:00.000000000 +0000',
        '    +++ /var/lib/xfstests/results//generic/003.out.bad\t2024-01-01 00:00:01.000000000 +0000',
        '    @@ -1,3 +1,3 @@',
        '     QA output created by 003',
        '    -checksum: c0ffee00',
        '    +checksum: deadbeef',
        '    ...',
        "    (Run 'diff -u /var/lib/xfstests/tests/generic/003.out /var/lib/xfstests/results//generic/003.out.bad'  to see the entire diff)",
        'generic/004 1s ...  1s',
      ].join('\n'),
    );
    const [t] = out.tests;
    expect(t?.markers).toEqual([
      {
        kind: 'output-mismatch',
        line: '- output mismatch (see /var/lib/xfstests/results//generic/003.out.bad)',
      },
    ]);
    expect(t?.diff).toHaveLength(8);
    expect(t?.diff[4]).toBe('-checksum: c0ffee00');
    expect(t?.diff.at(-1)).toMatch(/^\(Run 'diff -u /);
    expect(out.tests[1]?.markers[0]?.kind).toBe('pass');
  });

  it('accepts an unindented diff trailer', () => {
    const out = parseCheckOutput(
      [
        'generic/003 - output mismatch (see /r/generic/003.out.bad)',
        '    -a',
        '...',
        "(Run 'diff -u /f/tests/generic/003.out /r/generic/003.out.bad'  to see the entire diff)",
      ].join('\n'),
    );
    expect(out.tests[0]?.diff).toEqual([
      '-a',
      '...',
      "(Run 'diff -u /f/tests/generic/003.out /r/generic/003.out.bad'  to see the entire diff)",
    ]);
  });

  it('reads combined markers on one line', () => {
    const out = parseCheckOutput(
      'btrfs/001 [failed, exit status 1]- output mismatch (see /r/btrfs/001.out.bad)\n',
    );
    const markers = out.tests[0]?.markers ?? [];
    expect(markers.map((m) => m.kind)).toEqual(['failed-status', 'output-mismatch']);
    expect(markers[0]?.exitStatus).toBe(1);
    expect(markers[0]?.line).toBe(
      '[failed, exit status 1]- output mismatch (see /r/btrfs/001.out.bad)',
    );
  });

  it('reads _check_dmesg, fs inconsistency, kmemleak, dumped core and no qualified output', () => {
    const out = parseCheckOutput(
      [
        'generic/475 10s ... _check_dmesg: something found in dmesg (see /r/generic/475.dmesg)',
        '',
        'xfs/016     _check_xfs_filesystem: filesystem on /dev/vdb is inconsistent (r)',
        '(see /r/xfs/016.full for details)',
        'generic/100 _check_kmemleak: something found in kmemleak (see /r/generic/100.kmemleak)',
        'generic/101 [dumped core]',
        'generic/102 no qualified output',
        'generic/103',
        '_check_generic_filesystem: filesystem on /dev/vdc is inconsistent',
      ].join('\n'),
    );
    expect(out.tests.map((t) => t.markers.map((m) => m.kind))).toEqual([
      ['dmesg'],
      ['fs-inconsistent'],
      ['kmemleak'],
      ['dumped-core'],
      ['no-qualified-output'],
      ['fs-inconsistent'],
    ]);
    expect(out.tests[5]?.markers[0]?.line).toBe(
      '_check_generic_filesystem: filesystem on /dev/vdc is inconsistent',
    );
  });

  it('collects a hint block after a failure and does not confuse it with the next test', () => {
    const out = parseCheckOutput(
      [
        'generic/003 [failed, exit status 1]- output mismatch (see /r/generic/003.out.bad)',
        '    -a',
        '    +b',
        '',
        'HINT: You _MAY_ be missing kernel fix:',
        '      0123456789ab fixture: make reads return what was written',
        '',
        'generic/004 [not run] no reflink',
      ].join('\n'),
    );
    expect(out.tests[0]?.hints).toEqual([
      'HINT: You _MAY_ be missing kernel fix:',
      '0123456789ab fixture: make reads return what was written',
    ]);
    expect(out.tests[0]?.diff).toEqual(['-a', '+b']);
    expect(out.tests[1]?.markers[0]?.reason).toBe('no reflink');
  });

  it('ignores marker text inside a diff', () => {
    const out = parseCheckOutput(
      ['generic/003 - output mismatch (see /r/x)', '    +[not run] oops', '    +[expunged]'].join(
        '\n',
      ),
    );
    expect(out.tests[0]?.markers.map((m) => m.kind)).toEqual(['output-mismatch']);
  });

  it('reads failure summaries and Interrupted!', () => {
    const out = parseCheckOutput(
      [
        'generic/001 [failed, exit status 1]',
        'generic/002',
        'Interrupted!',
        'Ran: generic/001 generic/002',
        'Not run: generic/004',
        'Failures: generic/001',
        'Failed 1 of 2 tests',
      ].join('\n'),
    );
    expect(out.interrupted).toBe(true);
    expect(out.tests[1]?.markers).toEqual([]);
    expect(out.summaries[0]).toEqual({
      section: undefined,
      ran: ['generic/001', 'generic/002'],
      notRun: ['generic/004'],
      failures: ['generic/001'],
      failed: { count: 1, total: 2 },
    });
  });

  it('sees Interrupted! printed after a test name on its line', () => {
    const out = parseCheckOutput('generic/007\tInterrupted!\n');
    expect(out.interrupted).toBe(true);
    expect(out.tests[0]?.markers).toEqual([]);
  });

  it('keeps one block per section when a test runs in several sections', () => {
    const out = parseCheckOutput(
      [
        'SECTION       -- a',
        'FSTYP         -- xfs',
        '',
        'generic/001 1s',
        'Ran: generic/001',
        'Passed all 1 tests',
        '',
        'SECTION       -- b',
        'FSTYP         -- ext4',
        '',
        'generic/001 [not run] no',
        'Not run: generic/001',
        '',
        'SECTION       -- a',
        '=========================',
        'Ran: generic/001',
        'Passed all 1 tests',
      ].join('\r\n'),
    );
    expect(out.sections).toEqual(['a', 'b']);
    expect(out.tests.map((t) => [t.section, t.markers[0]?.kind])).toEqual([
      ['a', 'pass'],
      ['b', 'not-run'],
    ]);
    expect(out.summaries.map((s) => s.section)).toEqual(['a', 'b', 'a']);
  });

  it('returns nothing for empty or unrelated output', () => {
    expect(parseCheckOutput('').tests).toEqual([]);
    expect(parseCheckOutput('common/rc: fatal: TEST_DEV not set\n').tests).toEqual([]);
  });
});
