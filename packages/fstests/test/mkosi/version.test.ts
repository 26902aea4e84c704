import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MkosiNotFoundError, MkosiTooOldError, MkosiVersionError } from '../../src/mkosi/errors.js';
import { detectMkosi, mkosiFeatures, parseMkosiVersion } from '../../src/mkosi/version.js';
import { useTempDir } from './temp-dir.js';

describe('parseMkosiVersion', () => {
  it.each([
    ['mkosi 26\n', 26, 0, '26'],
    ['mkosi 25.3', 25, 3, '25.3'],
    ['mkosi 27~devel\n', 27, 0, '27~devel'],
    ['mkosi 15.1', 15, 1, '15.1'],
    ['warning: something\nmkosi 26 (abcdef)\n', 26, 0, '26'],
  ])('%j', (text, major, minor, raw) => {
    expect(parseMkosiVersion(text)).toEqual({ major, minor, raw });
  });
  it('undefined without a version', () => {
    expect(parseMkosiVersion('usage: mkosi [options]')).toBeUndefined();
    expect(parseMkosiVersion('')).toBeUndefined();
  });
});

describe('mkosiFeatures', () => {
  it('picks the verb and syntax by version', () => {
    const f = (major: number) => mkosiFeatures({ major, minor: 0, raw: String(major) });
    expect(f(24)).toMatchObject({ verb: 'qemu', booleanNeedsValue: false });
    expect(f(25)).toMatchObject({
      verb: 'vm',
      booleanNeedsValue: false,
      qemuArgsAfterDashDash: false,
    });
    expect(f(26)).toMatchObject({
      verb: 'vm',
      booleanNeedsValue: true,
      qemuArgsAfterDashDash: true,
    });
  });
});

describe('detectMkosi', () => {
  const tmp = useTempDir('ff-mkosi-version-');
  const script = async (name: string, body: string) => {
    const path = join(tmp.path(), name);
    await writeFile(path, `#!/bin/sh\n${body}\n`);
    await chmod(path, 0o755);
    return path;
  };

  it('reads the version of a working mkosi', async () => {
    const mkosiPath = await script('ok', 'echo "mkosi 26"');
    await expect(detectMkosi({ mkosiPath })).resolves.toMatchObject({
      verb: 'vm',
      version: { major: 26 },
    });
  });

  it('missing -> MkosiNotFoundError', async () => {
    const error = await detectMkosi({ mkosiPath: join(tmp.path(), 'nope') }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(MkosiNotFoundError);
    expect((error as MkosiNotFoundError).code).toBe('ERR_MKOSI_NOT_FOUND');
  });

  it('too old -> MkosiTooOldError naming both versions', async () => {
    const mkosiPath = await script('old', 'echo "mkosi 15.1"');
    const error = await detectMkosi({ mkosiPath }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MkosiTooOldError);
    expect((error as Error).message).toMatch(/mkosi 15\.1 is too old: version 24 or newer/);
  });

  it('failing --version -> MkosiVersionError with the output tail', async () => {
    const mkosiPath = await script('broken', 'echo "Traceback: boom" >&2; exit 3');
    const error = await detectMkosi({ mkosiPath }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MkosiVersionError);
    expect((error as MkosiVersionError).outputTail).toBe('Traceback: boom');
    expect((error as Error).message).toContain('Traceback: boom');
  });

  it('no version in the output -> MkosiVersionError', async () => {
    const mkosiPath = await script('garbage', 'echo hello');
    await expect(detectMkosi({ mkosiPath })).rejects.toThrow(
      /printed no mkosi version[\s\S]*hello/,
    );
  });
});
