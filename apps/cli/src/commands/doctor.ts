import {
  doctorOptionsFromConfig,
  doctorPassed,
  loadConfig,
  mergeConfig,
  runDoctor,
  supervisorChecks,
} from '@ff/fstests';
import { EXIT } from '../exit-codes.js';
import { type CliIo, println } from '../io.js';
import { type RunArgs, toOverrides } from '../options.js';
import { resolvePathFlags } from '../paths.js';
import { makePaint, useColor } from '../view/format.js';

/** `ff doctor`: check what a run with this configuration needs, and say what to fix. */
export async function doctorCommand(args: RunArgs, io: CliIo): Promise<number> {
  const loaded = await loadConfig({ cwd: io.cwd, env: io.env });
  const config = mergeConfig(loaded, toOverrides(resolvePathFlags(args, io.cwd)));
  const paint = makePaint(useColor(io.stdout, io.env));
  const checks = [
    ...(await runDoctor(doctorOptionsFromConfig(config, loaded.baseDir))),
    ...(await supervisorChecks(config)),
  ];
  println(io.stdout, `configuration: ${loaded.path ?? 'none (defaults)'}`);
  for (const c of checks) {
    const mark = c.ok ? paint.green('ok  ') : c.required ? paint.red('FAIL') : paint.yellow('warn');
    println(io.stdout, `${mark} ${c.name}: ${c.detail}`);
    if (!c.ok && c.fix !== undefined) println(io.stdout, `     fix: ${c.fix}`);
  }
  return doctorPassed(checks) ? EXIT.ok : EXIT.failures;
}
