import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { baseArgs, imageArgs, settingsFile } from '../../src/image/mmdebstrap.js';

describe('mmdebstrap arguments', () => {
  it('builds the base in unshare mode with the packages, into a tarball', () => {
    expect(
      baseArgs({
        suite: 'bookworm',
        mirror: 'http://m/debian',
        packages: ['a', 'b'],
        output: '/c/b.tar',
      }),
    ).toEqual([
      '--mode=unshare',
      '--variant=apt',
      '--components=main',
      '--include=a,b',
      'bookworm',
      '/c/b.tar',
      'http://m/debian',
    ]);
  });

  it('quotes every path in the hooks', () => {
    const args = imageArgs({
      suite: 'bookworm',
      base: "/c/it's base.tar",
      customize: '/p/customize.sh',
      settings: '/w/my settings',
    });
    expect(args).toContain(`--customize-hook=sh /p/customize.sh "$1" '/w/my settings'`);
    expect(args.find((a) => a.startsWith('--setup-hook='))).toMatch(
      /-xf '\/c\/it'\\''s base\.tar'$/,
    );
    expect(args.at(-1)).toBe('/dev/null');
  });

  it('writes settings a shell reads back unchanged', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ff-settings-'));
    try {
      const value = `a b 'c' "d" $e \`f\` \\g`;
      const file = join(dir, 'settings');
      await writeFile(file, settingsFile({ FF_X: value, FF_N: 3, FF_EMPTY: '' }));
      const { stdout } = await promisify(execFile)('sh', [
        '-c',
        '. "$1"; printf "%s|%s|%s" "$FF_X" "$FF_N" "$FF_EMPTY"',
        'sh',
        file,
      ]);
      expect(stdout).toBe(`${value}|3|`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
