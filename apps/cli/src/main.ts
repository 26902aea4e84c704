import yargs from 'yargs';
import { rejectUnknownCommand } from './command-typo.js';
import { demoCommand } from './commands/demo.js';
import { doctorCommand } from './commands/doctor.js';
import { imageBuildCommand, imageBuildOptions } from './commands/image.js';
import { compareCommand, recordCommand } from './commands/results.js';
import { runCommand } from './commands/run.js';
import { EXIT, UsageError, exitCodeFor } from './exit-codes.js';
import { type CliIo, println, processIo } from './io.js';
import { runOptions } from './options.js';
import { CLI_VERSION } from './version.js';

/** Parse `argv`, run the command, and resolve with the exit status. Never throws. */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  let status: number = EXIT.ok;
  /** As the user typed it, for the run manifest. */
  const commandLine = ['ff', ...argv];
  const run = async (fn: () => Promise<number>) => {
    try {
      status = await fn();
    } catch (error) {
      println(io.stderr, `ff: ${error instanceof Error ? error.message : String(error)}`);
      status = exitCodeFor(error);
    }
  };
  const parser = yargs([...argv])
    .scriptName('ff')
    .usage('$0 [TEST...] [options]\n\nRun fstests in parallel across VMs and hosts.')
    .command(
      '$0 [tests..]',
      'run tests (default: group auto)',
      (y) =>
        runOptions(y).positional('tests', {
          type: 'string',
          array: true,
          describe: 'tests or globs (generic/0*, btrfs/*)',
        }),
      (a) =>
        run(() => {
          rejectUnknownCommand(a.tests);
          return runCommand(a, io, commandLine);
        }),
    )
    .command(
      'compare',
      'compare two runs or recordings',
      (y) =>
        y
          .option('a', {
            type: 'string',
            describe: 'baseline: a label, -N (N-th newest recording); default the newest recording',
          })
          .option('b', {
            type: 'string',
            describe:
              "the results to judge: a label, -N or a run id; default the latest results (each test's newest)",
          })
          .option('json', { type: 'boolean', describe: 'print the comparison as JSON' })
          .option('results-dir', { type: 'string', describe: 'results directory' }),
      (a) => run(() => compareCommand(a, io)),
    )
    .command(
      'record [label]',
      'record the latest results under LABEL (default: a timestamp)',
      (y) =>
        y
          .positional('label', { type: 'string' })
          .option('results-dir', { type: 'string', describe: 'results directory' }),
      (a) => run(() => recordCommand(a, io)),
    )
    .command(
      'doctor',
      'check that everything a run with these options needs is in place',
      (y) => runOptions(y),
      (a) => run(() => doctorCommand(a, io)),
    )
    .command('image', 'build a QEMU root image with your fstests inside', (y) =>
      y
        .command(
          'build',
          'build (or reuse) a Debian root image with fstests compiled and installed, for [qemu]',
          (b) => imageBuildOptions(b),
          (a) => run(() => imageBuildCommand(a, io)),
        )
        .demandCommand(1, 'ff image: give a subcommand (build)'),
    )
    .command(
      'demo',
      'build the test appliance and run its suite on 3 QEMU VMs',
      (y) => y.option('vms', { type: 'number', default: 3, describe: 'number of VMs' }),
      (a) => run(() => demoCommand(a, io, commandLine)),
    )
    .completion('completion', 'print a shell completion script (bash/zsh)')
    .parserConfiguration({ 'dot-notation': false })
    .strict()
    .help()
    .alias('help', 'h')
    .version(CLI_VERSION)
    // yargs prints completions or the completion script and must then exit (else it would go on
    // to run tests); everything else returns a status here.
    .exitProcess(argv.includes('--get-yargs-completions') || argv[0] === 'completion')
    .wrap(Math.min(110, io.stdout.columns ?? 100))
    .fail((msg, err) => {
      throw err ?? new UsageError(msg);
    });
  try {
    await parser.parseAsync();
  } catch (error) {
    println(io.stderr, `ff: ${error instanceof Error ? error.message : String(error)}`);
    println(io.stderr, "Run 'ff --help' for usage.");
    return EXIT.usage;
  }
  return status;
}
