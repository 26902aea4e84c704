import { mkdir, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildAppliance } from '@ff/fstests';
import { type CliIo, println } from '../io.js';
import { runCommand } from './run.js';

/** Where the demo keeps the appliance and its results. */
function demoDir(io: CliIo): string {
  const cache = io.env.XDG_CACHE_HOME ?? join(io.env.HOME ?? homedir(), '.cache');
  return resolve(cache, 'fast-fstests', 'demo');
}

/**
 * `ff demo`: build the test appliance (a Debian kernel, busybox, dropbear and a small
 * fstests-shaped suite), boot VMs with QEMU and run the suite on them with the live view — the
 * whole product on one machine, in about a minute under software emulation.
 */
export async function demoCommand(args: { vms?: number | undefined }, io: CliIo): Promise<number> {
  const dir = demoDir(io);
  await mkdir(dir, { recursive: true });
  println(io.stderr, `building the test appliance in ${join(dir, 'appliance')} ...`);
  const appliance = await buildAppliance(join(dir, 'appliance'));
  const config = [
    '# Written by `ff demo`: the test appliance on QEMU VMs.',
    `fstests = ${JSON.stringify(appliance.hostSuite)}`,
    '[test_selection]',
    'groups = ["auto", "crash"]',
    '[test_runner]',
    'max_supervisor_restarts = 1',
    'test_timeout = 120',
    'probe_interval = 5',
    '[qemu]',
    `num = ${args.vms ?? 3}`,
    `kernel = ${JSON.stringify(appliance.kernel)}`,
    `initrd = ${JSON.stringify(appliance.initrd)}`,
    `ssh_key = ${JSON.stringify(appliance.privateKey)}`,
    'memory = 512',
    'timeout = 120',
    '[output]',
    `results_dir = ${JSON.stringify(join(dir, 'results'))}`,
    'print_failure_list = true',
    '',
  ].join('\n');
  const configPath = join(dir, 'config.toml');
  await writeFile(configPath, config);
  println(io.stderr, `configuration: ${configPath}`);
  return runCommand({}, { ...io, env: { ...io.env, FAST_FSTESTS_CONFIG_PATH: configPath } });
}
