import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { junitXml } from '../../src/reports/junit.js';
import { stripInvalidXml } from '../../src/reports/xml.js';
import type { RunSummary } from '../../src/summary.js';
import { attemptResult, finalOf, summaryOf, tempDir } from '../results/helpers.js';

const XSD = fileURLToPath(new URL('../fixtures/junit/junit.xsd', import.meta.url));
const run = promisify(execFile);

let tmp: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => {
  tmp = await tempDir();
});
afterEach(async () => {
  await tmp.cleanup();
});

/** Validate with libxml2's xmllint against our XSD; resolves with its stderr. */
async function validate(xml: string): Promise<string> {
  const file = join(tmp.path, 'report.xml');
  await writeFile(file, xml);
  const { stderr } = await run('xmllint', ['--noout', '--schema', XSD, file]);
  return stderr;
}

async function outputDir(name: string, stdout: string | Buffer, stderr = ''): Promise<string> {
  const dir = join(tmp.path, name);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'stdout'), stdout);
  await writeFile(join(dir, 'stderr'), stderr);
  return dir;
}

async function sampleSummary(): Promise<RunSummary> {
  const nasty = 'bad <xml> & "quotes" \u0001\u0008\u000b\u001b[31mcolour\ud800 \uffff end';
  const summary = summaryOf('run-1', [
    finalOf([
      attemptResult('generic/002', 1, 'fail', {
        summary: `- output mismatch ${nasty}`,
        outputDir: await outputDir('g2', `line one\n${nasty}\n`),
      }),
    ]),
    finalOf([
      attemptResult('generic/001', 1, 'pass', {
        durationMs: 4321,
        outputDir: await outputDir('g1', 'ok\n'),
      }),
    ]),
    finalOf([attemptResult('xfs/010', 1, 'skip', { summary: 'not run: no reflink' })]),
    finalOf([
      attemptResult('xfs/011', 1, 'error', {
        outcome: 'crashed',
        crashEvidence: 'Kernel panic - not syncing',
      }),
      attemptResult('xfs/011', 2, 'error', { timedOut: true, summary: 'timed out after 60s' }),
    ]),
    finalOf([attemptResult('toplevel', 1, 'pass')]),
  ]);
  return { ...summary, unfinished: ['xfs/099'] };
}

describe('junitXml', () => {
  it('produces XML that validates against the JUnit XSD with xmllint', async () => {
    const xml = junitXml(await sampleSummary(), {
      suiteName: 'fstests',
      properties: { kernel: '6.8.0-rc1', fstyp: 'xfs' },
      hostname: 'build-1',
    });
    expect(await validate(xml)).toMatch(/validates/);
  });

  it('has one suite, a sorted testcase per test and the right elements', async () => {
    const xml = junitXml(await sampleSummary(), { suiteName: 'fstests' });
    expect(xml.match(/<testsuite /g)).toHaveLength(1);
    expect(xml).toMatch(
      /<testsuite name="fstests" tests="6" failures="1" errors="1" skipped="2" time="60\.000" timestamp="2023-11-14T22:13:20Z" id="run-1">/,
    );
    const names = [...xml.matchAll(/<testcase name="([^"]+)" classname="([^"]+)"/g)].map(
      (m) => `${m[2]}:${m[1]}`,
    );
    expect(names).toEqual([
      'generic:generic/001',
      'generic:generic/002',
      'fstests:toplevel',
      'xfs:xfs/010',
      'xfs:xfs/011',
      'xfs:xfs/099',
    ]);
    expect(xml).toContain('<testcase name="generic/001" classname="generic" time="4.321">');
    expect(xml).toContain(
      '<failure message="- output mismatch bad &lt;xml&gt; &amp; &quot;quotes&quot; [31mcolour  end" type="failure">- output mismatch bad &lt;xml&gt; &amp; "quotes" [31mcolour  end</failure>',
    );
    expect(xml).toContain('<system-out>line one\nbad &lt;xml&gt;');
    expect(xml).toContain('<skipped message="not run: no reflink"/>');
    expect(xml).toMatch(
      /<error message="timed out after 60s" type="timeout">timed out after 60s\nattempt 1 on vm-1: error \(crashed\)/,
    );
    expect(xml).toContain('Kernel panic - not syncing');
    expect(xml).toContain('<skipped message="not run: the run ended before this test finished"/>');
    expect(xml).toContain(
      '<property name="supervisor.vm-1" value="started=yes deaths=0 restarts=0 attempts=3 busy=30.000s wall=60.000s utilisation=50%"/>',
    );
    expect(xml).toContain('<system-out>ok\n</system-out>');
    // no raw control characters or lone surrogates survive
    expect(stripInvalidXml(xml)).toBe(xml);
  });

  it('names every property once; a caller property replaces a built-in one of that name', async () => {
    const xml = junitXml(await sampleSummary(), {
      properties: { 'supervisor.vm-1': 'custom', kernel: '6.8' },
    });
    const names = [...xml.matchAll(/<property name="([^"]+)"/g)].map((m) => m[1]);
    expect(names.length).toBeGreaterThan(3);
    expect(new Set(names).size).toBe(names.length);
    expect(xml).toContain('<property name="supervisor.vm-1" value="custom"/>');
    expect(xml).toContain('<property name="kernel" value="6.8"/>');
  });

  it('puts only the last 64 KiB of a large stdout into system-out', async () => {
    const big = `${'x'.repeat(200 * 1024)}\u00e9${'b'.repeat(64 * 1024 - 1)}THE END`;
    const dir = await outputDir('big', big);
    const summary = summaryOf('r', [
      finalOf([attemptResult('big/1', 1, 'fail', { outputDir: dir })]),
    ]);
    const xml = junitXml(summary);
    const out = /<system-out>([\s\S]*)<\/system-out>/.exec(xml)?.[1] ?? '';
    expect(out.startsWith('[... last 65536 bytes of stdout]\n')).toBe(true);
    expect(out.endsWith('THE END')).toBe(true);
    expect(out.includes('x')).toBe(false);
    expect(Buffer.byteLength(out)).toBeLessThanOrEqual(65536 + 40);
    expect(await validate(xml)).toMatch(/validates/);
  });

  it('an empty run is still a valid report', async () => {
    const xml = junitXml(summaryOf('empty', []));
    expect(xml).toContain('tests="0"');
    expect(await validate(xml)).toMatch(/validates/);
  });

  it('the XSD rejects a malformed report (the validator really validates)', async () => {
    const bad = junitXml(summaryOf('r', [])).replace(
      'tests="0" failures="0"',
      'tests="-1" failures="0"',
    );
    await expect(validate(bad)).rejects.toThrow(/fails to validate/);
  });
});
