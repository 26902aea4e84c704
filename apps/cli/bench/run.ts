/**
 * `pnpm --filter ff bench` (part of `pnpm bench`): what running `ff` from a checkout costs on
 * top of the built binary when nothing changed since the last build.
 *  - the check alone: `buildStaleness()` in a fresh Node, timed inside it;
 *  - `bin/ff --version` (the check, then the CLI in the same process) against
 *    `node apps/cli/dist/ff.js --version`, interleaved so load on the machine hits both alike;
 *  - before: what every `pnpm ff` paid until the check existed, a `turbo run build` with
 *    nothing to build before starting the CLI (timed without the extra Node process the old
 *    bootstrap started around it, so slightly less than it cost);
 *  - `pnpm --silent ff --version`, for pnpm's own start-up.
 * Target: the check adds < 100 ms (median). Printed as figures and ratios; it never fails on
 * time. Builds the checkout first if it is stale, so that every figure is the fresh case.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const FF = join(REPO, 'apps', 'cli', 'dist', 'ff.js');
const BIN_FF = join(REPO, 'bin', 'ff');
const TARGET_MS = 100;
const RUNS = Number(process.env.FF_BENCH_RUNS ?? 11);

/** One run of `command`: wall and CPU (user + system, its whole process tree) time in ms. */
function time(command: readonly string[]): { wall: number; cpu: number } {
  // bash's `time` reports the children's CPU time, which load on the machine disturbs less.
  const timed = 'TIMEFORMAT="%3R %3U %3S"; { time "$@" >/dev/null 2>&1; } 2>&1';
  const r = spawnSync('bash', ['-c', timed, 'bash', ...command], { cwd: REPO, encoding: 'utf8' });
  const [wall = Number.NaN, user = Number.NaN, sys = Number.NaN] = r.stdout
    .trim()
    .split(/\s+/)
    .map(Number);
  if (r.status !== 0 || Number.isNaN(wall)) {
    throw new Error(`${command.join(' ')} failed: ${r.stdout}${r.stderr}`);
  }
  return { wall: wall * 1000, cpu: (user + sys) * 1000 };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const value =
    sorted.length % 2 === 1
      ? (sorted[mid] ?? 0)
      : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
  return Math.round(value);
}

/** Median wall and CPU ms of `commands`, each run `runs` times, interleaved, after a warm-up. */
function interleaved(commands: Record<string, readonly string[]>, runs: number) {
  const times: Record<string, { wall: number; cpu: number }[]> = {};
  for (const [name, command] of Object.entries(commands)) {
    time(command);
    times[name] = [];
  }
  for (let i = 0; i < runs; i++) {
    for (const [name, command] of Object.entries(commands)) times[name]?.push(time(command));
  }
  const medians = (name: string) => {
    const t = times[name] ?? [];
    return { wall: median(t.map((x) => x.wall)), cpu: median(t.map((x) => x.cpu)) };
  };
  return Object.fromEntries(Object.keys(commands).map((name) => [name, medians(name)]));
}

const loadavg = () => spawnSync('cat', ['/proc/loadavg'], { encoding: 'utf8' }).stdout.trim();

console.log('== ff from a checkout: the build check on top of the binary');
console.log(`   /proc/loadavg before: ${loadavg()}`);
const ready = spawnSync(process.execPath, [join(REPO, 'scripts', 'bootstrap.mjs'), '--quiet'], {
  stdio: 'inherit',
});
if (ready.status !== 0) process.exit(1);

const checkTimes: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const r = spawnSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      [
        `const m = await import(${JSON.stringify(join(REPO, 'scripts', 'bootstrap.mjs'))});`,
        'const t = performance.now(); const stale = m.buildStaleness();',
        'console.log(JSON.stringify({ ms: performance.now() - t, stale }));',
      ].join(''),
    ],
    { encoding: 'utf8' },
  );
  const out = JSON.parse(r.stdout) as { ms: number; stale?: string };
  if (out.stale !== undefined) throw new Error(`the checkout is stale: ${out.stale}`);
  checkTimes.push(out.ms);
}
const check = median(checkTimes);

const before = [
  'sh',
  '-c',
  `pnpm exec turbo run build --output-logs=errors-only >/dev/null && node ${FF} --version`,
];
const m = interleaved(
  {
    binary: [process.execPath, FF, '--version'],
    binFf: [BIN_FF, '--version'],
    before,
    pnpm: ['pnpm', '--silent', 'ff', '--version'],
  },
  RUNS,
);
const none = { wall: 0, cpu: 0 };
const [binary = none, binFf = none, was = none, pnpm = none] = [
  m.binary,
  m.binFf,
  m.before,
  m.pnpm,
];
const show = (x: { wall: number; cpu: number } = none) => `${x.wall} ms wall, ${x.cpu} ms CPU`;
const after = { wall: binFf.wall - binary.wall, cpu: binFf.cpu - binary.cpu };
const old = { wall: was.wall - binary.wall, cpu: was.cpu - binary.cpu };
const pass = after.wall < TARGET_MS && after.cpu < TARGET_MS;

console.log(`   medians of ${RUNS} runs each, interleaved:`);
console.log(`   node apps/cli/dist/ff.js --version   ${show(binary)} (the binary)`);
console.log(`   bin/ff --version                     ${show(binFf)} (check + binary, one process)`);
console.log(`   turbo build no-op + binary (before)  ${show(was)}`);
console.log(`   pnpm --silent ff --version           ${show(pnpm)} (pnpm + check + binary)`);
console.log(`   the check alone, in process: ${check} ms (median of ${RUNS} fresh Node processes)`);
console.log(`   /proc/loadavg after:  ${loadavg()}`);
console.log('');
console.log(`check overhead before: ${show(old)} per call (a turbo build every time)`);
console.log(
  `check overhead after:  ${show(after)} per call (target < ${TARGET_MS} ms: ${pass ? 'PASS' : 'MISS'})`,
);
console.log(`ratio before / after (CPU): ${(old.cpu / Math.max(1, after.cpu)).toFixed(1)}x`);
