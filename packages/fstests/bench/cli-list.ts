/**
 * Collection end to end: `ff --list -g auto --fstests <tree>` spawned as a user would run it
 * (a fresh Node process each time: start-up, module loading, configuration, collection,
 * printing) on the synthetic tree of 2,000 tests. Target: under 300 ms.
 * Run: `pnpm --filter @ff/fstests exec tsx bench/cli-list.ts` (needs `pnpm build` first).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { makeSyntheticTree, median } from './tree.js';

const run = promisify(execFile);

/** The built CLI, `apps/cli/dist/ff.js` in this repository. */
export const FF_CLI = join(dirname(fileURLToPath(import.meta.url)), '../../../apps/cli/dist/ff.js');

/** `ff --list` should take less than this many milliseconds end to end. */
export const LIST_TARGET_MS = 300;

/** Result of `benchCliList`. */
export interface CliListResult {
  /** Median wall time of the timed `ff --list` runs, in ms. */
  readonly ms: number;
  /** Every timed `ff --list` run, in ms, in the order run. */
  readonly runs: readonly number[];
  /** Tests the CLI listed (1,800 of the 2,000 are in `auto`). */
  readonly tests: number;
  /** The command line, with the temp tree's path. */
  readonly command: string;
  /** Median of `node -e 0`: the floor any Node CLI pays. */
  readonly nodeMs: number;
  /** Median of `ff --help`: Node plus loading the CLI's modules, no collection. */
  readonly helpMs: number;
  /**
   * Median time to import each of the CLI's dependencies alone into a fresh Node (measured
   * inside it), resolved from `apps/cli`; shared dependencies count in each.
   */
  readonly importMs: Readonly<Record<string, number>>;
}

/** The CLI's dependencies whose import cost `benchCliList` reports one by one. */
export const CLI_IMPORTS = ['@ff/fstests', '@ff/parallelrunner', 'yargs', 'listr2', 'cli-table3'];

/** Median wall time of `runs` spawns of `node ...args` (after one untimed warm-up). */
async function timeSpawns(
  args: readonly string[],
  runs: number,
  options: { cwd: string; env: NodeJS.ProcessEnv; signal?: AbortSignal },
): Promise<{ times: number[]; stdout: string }> {
  const once = async () => {
    const started = performance.now();
    const { stdout } = await run(process.execPath, args, {
      ...options,
      maxBuffer: 16 * 1024 * 1024,
    });
    return { ms: Math.round(performance.now() - started), stdout };
  };
  let { stdout } = await once();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const r = await once();
    times.push(r.ms);
    stdout = r.stdout;
  }
  return { times, stdout };
}

/**
 * Median time, measured inside a fresh Node, to import `name` alone (resolved from the CLI's
 * package: `--eval` resolves bare specifiers from the working directory).
 */
async function timeImport(
  name: string,
  runs: number,
  options: { env: NodeJS.ProcessEnv; signal?: AbortSignal },
): Promise<number> {
  const code = `const t = performance.now(); await import(${JSON.stringify(name)}); console.log(performance.now() - t);`;
  const times: number[] = [];
  for (let i = 0; i <= runs; i++) {
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', code], {
      ...options,
      cwd: dirname(dirname(FF_CLI)),
    });
    if (i > 0) times.push(Math.round(Number(stdout.trim())));
  }
  return median(times);
}

/**
 * Spawn `node ff.js --list -g auto --fstests <tree>` once to warm the page cache, then `runs`
 * times (default 5), and return the median; `node -e 0` and `ff --help` are timed the same way
 * to show what start-up and module loading cost. The CLI runs in the tree's directory with HOME
 * there too and no `FAST_FSTESTS_CONFIG_PATH`, so no config file of the user is read.
 */
export async function benchCliList(
  runs = 5,
  options: { signal?: AbortSignal } = {},
): Promise<CliListResult> {
  if (!existsSync(FF_CLI)) throw new Error(`${FF_CLI} is missing: run \`pnpm build\` first`);
  await using tree = await makeSyntheticTree();
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: tree.dir, NO_COLOR: '1' };
  env.FAST_FSTESTS_CONFIG_PATH = undefined;
  const spawnOptions = {
    cwd: tree.dir,
    env,
    ...(options.signal ? { signal: options.signal } : {}),
  };
  const args = [FF_CLI, '--list', '-g', 'auto', '--fstests', tree.dir];
  const list = await timeSpawns(args, runs, spawnOptions);
  const node = await timeSpawns(['-e', '0'], runs, spawnOptions);
  const help = await timeSpawns([FF_CLI, '--help'], runs, spawnOptions);
  const nodeMs = median(node.times);
  const importMs: Record<string, number> = {};
  for (const name of CLI_IMPORTS) importMs[name] = await timeImport(name, runs, spawnOptions);
  return {
    ms: median(list.times),
    runs: list.times,
    tests: list.stdout.trim().split('\n').length,
    command: `node apps/cli/dist/ff.js ${args.slice(1).join(' ')}`,
    nodeMs,
    helpMs: median(help.times),
    importMs,
  };
}

/** `name N ms, ...` for each measured import. */
export function importLine(r: CliListResult): string {
  return Object.entries(r.importMs)
    .map(([name, ms]) => `${name} ${ms} ms`)
    .join(', ');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const r = await benchCliList();
  console.log(
    `${r.command}\n  ${r.tests} tests listed; median of ${r.runs.length}: ${r.ms} ms ` +
      `(runs ${r.runs.join(', ')}; target < ${LIST_TARGET_MS} ms)\n` +
      `  node -e 0: ${r.nodeMs} ms; ff --help: ${r.helpMs} ms (medians)\n` +
      `  import alone (in a fresh node): ${importLine(r)}`,
  );
}
