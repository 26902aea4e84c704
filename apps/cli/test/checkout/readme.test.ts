/**
 * The README's setup is CI's: its one apt line installs exactly the packages `.ci/run` installs
 * before `pnpm test`, which also covers `pnpm demo`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { REPO } from '../support/env.js';

const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
const ciRun = readFileSync(join(REPO, '.ci', 'run'), 'utf8');

it("the README's apt line lists exactly the packages .ci/run installs", () => {
  const lines = readme.split('\n').filter((l) => l.startsWith('sudo apt-get install '));
  expect(lines).toHaveLength(1);
  const documented = (lines[0] ?? '').replace('sudo apt-get install ', '').trim().split(/\s+/);
  const ci = /^pkgs=\(([^)]*)\)/m.exec(ciRun)?.[1]?.trim().split(/\s+/) ?? [];
  expect(ci.length).toBeGreaterThan(0);
  expect([...documented].sort()).toEqual([...ci].sort());
  // The demo's own needs (QEMU, a kernel, the appliance's tools) are among them.
  for (const pkg of ['qemu-system-x86', 'linux-image-amd64', 'busybox-static', 'dropbear-bin']) {
    expect(documented).toContain(pkg);
  }
});
