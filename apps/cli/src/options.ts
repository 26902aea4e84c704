import type { Argv } from 'yargs';

/**
 * A list-taking flag takes ONE value per use (a comma list, or the flag repeated): the words
 * after it are tests, as with `./check -g auto -x dangerous generic/001`.
 */
const LIST = { type: 'string', requiresArg: true, coerce: toList } as const;

/** Every value of a repeated flag, each split at commas, trimmed, empty entries dropped. */
function toList(value: unknown): string[] {
  return [value]
    .flat()
    .flatMap((v) => String(v).split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

/**
 * The `ff` run options: the original tool's names and short aliases. Every option maps to one
 * configuration key (`config.toml`), and flags override the file. A flag naming a local path
 * is also listed in `PATH_FLAGS` (paths.ts), which resolves it against the working directory.
 */
export function runOptions<T>(y: Argv<T>) {
  return y
    .option('groups', {
      alias: 'g',
      ...LIST,
      describe: 'groups to run (GROUP[,GROUP], dir/group, all)',
    })
    .option('exclude-groups', {
      alias: 'x',
      ...LIST,
      describe: 'groups to exclude',
    })
    .option('exclude-tests', {
      alias: 'e',
      ...LIST,
      describe: 'tests to exclude',
    })
    .option('exclude-tests-file', {
      alias: 'E',
      type: 'string',
      describe: 'file listing tests to exclude (# comments)',
    })
    .option('section', {
      alias: 's',
      ...LIST,
      describe: 'local.config sections to run',
    })
    .option('exclude-section', {
      alias: 'S',
      ...LIST,
      describe: 'local.config sections to skip',
    })
    .option('randomize', {
      alias: 'r',
      type: 'boolean',
      describe: 'random order (the seed is printed)',
    })
    .option('seed', { type: 'number', describe: 'seed for --randomize' })
    .option('iterate', { alias: 'i', type: 'number', describe: 'run every test N times' })
    .option('list', { alias: 'l', type: 'boolean', describe: 'list the selected tests and exit' })
    .option('file-system', { type: 'string', describe: "generic tests plus this file system's" })
    .option('fstests', {
      type: 'string',
      describe: 'path of the local fstests checkout (test collection)',
    })
    .option('slowest-first', {
      type: 'string',
      coerce: sourceOrFlag,
      describe:
        'longest tests first, from the duration history or [SOURCE]; =false keeps the order',
    })
    .option('rerun-failures', {
      type: 'string',
      coerce: sourceOrFlag,
      describe: 'only the tests that failed or errored in the latest results or [SOURCE]',
    })
    .option('vms', {
      ...LIST,
      describe: 'existing hosts HOST:PATH[,HOST:PATH...]',
    })
    .option('accept-new-host-keys', {
      type: 'boolean',
      describe: 'trust and record the key of a host seen for the first time',
    })
    .option('host-timeout', {
      type: 'number',
      describe: 'seconds a host may take to connect and run a command (start, doctor)',
    })
    .option('mkosi.num', { alias: 'n', type: 'number', describe: 'number of mkosi VMs' })
    .option('mkosi.config', { type: 'string', describe: 'mkosi configuration directory' })
    .option('mkosi.build', {
      alias: 'f',
      type: 'count',
      describe: 'build the mkosi image first (repeat to force)',
    })
    .option('qemu.num', { type: 'number', describe: 'number of QEMU VMs' })
    .option('qemu.kernel', { type: 'string', describe: 'kernel image for the QEMU VMs' })
    .option('qemu.initrd', { type: 'string', describe: 'initrd for the QEMU VMs' })
    .option('qemu.image', {
      type: 'string',
      describe: 'root disk image (raw or qcow2), an ephemeral snapshot per VM',
    })
    .option('qemu.append', { type: 'string', describe: 'kernel command line of the QEMU VMs' })
    .option('qemu.accel', {
      type: 'string',
      choices: ['auto', 'kvm', 'tcg'],
      describe: 'QEMU accelerator',
    })
    .option('qemu.memory', { type: 'number', describe: 'memory per QEMU VM in MiB (default 1024)' })
    .option('qemu.cpus', { type: 'number', describe: 'CPUs per QEMU VM (default 1)' })
    .option('qemu.ssh-key', {
      type: 'string',
      describe: 'private key that logs in to the QEMU VMs',
    })
    .option('qemu.scratch-drives', {
      ...LIST,
      describe: 'scratch drive sizes per VM, SIZE[,SIZE] (e.g. 3G,3G: /dev/vdb, /dev/vdc)',
    })
    .option('keep-alive', {
      type: 'boolean',
      describe: 'keep VMs running after the run until Ctrl-C',
    })
    .option('test-timeout', { type: 'number', describe: 'per-test timeout in seconds' })
    .option('probe-interval', {
      type: 'number',
      describe: 'seconds between liveness probes (0 disables; default 10)',
    })
    .option('probe-timeout', {
      type: 'number',
      describe: 'seconds one liveness probe may take (default 10)',
    })
    .option('probe-retries', {
      type: 'number',
      describe: 'retries of a failed probe before a VM counts as dead (default 3)',
    })
    .option('probe-retry-interval', {
      type: 'number',
      describe: 'seconds between a failed probe and its retry (default 5)',
    })
    .option('max-supervisor-restarts', {
      type: 'number',
      describe: 'a test that kills this many VMs is an error',
    })
    .option('retry-failures', { type: 'number', describe: 'retry a failed test N times' })
    .option('batch', {
      type: 'string',
      coerce: batchValue,
      describe: 'short tests several to a ./check: auto (default), off, or SECONDS per batch',
    })
    .option('dmesg', { type: 'boolean', describe: 'record dmesg per test' })
    .option('bpftrace', { type: 'string', describe: 'bpftrace script to run during every test' })
    .option('results-dir', { type: 'string', describe: 'results directory' })
    .option('verbose', { alias: 'v', type: 'boolean', describe: 'one line per event' })
    .option('print-failure-list', {
      type: 'boolean',
      describe: 'print failed tests as one pasteable line',
    })
    .option('print-n-slowest', { type: 'number', describe: 'print the N slowest tests' })
    .option('print-duration-hist', { type: 'boolean', describe: 'print a duration histogram' })
    .option('record', { type: 'string', describe: 'record the run under this label' })
    .option('junit', { type: 'string', describe: 'write a JUnit XML report to this file' })
    .option('json', { type: 'string', describe: 'write a JSON report to this file' });
}

/** `--batch`: `auto`, `off` or a number of seconds (anything else is left to the schema). */
function batchValue(value: unknown): string | number {
  const v = String(Array.isArray(value) ? value[value.length - 1] : value).trim();
  return /^\d+(\.\d+)?$/.test(v) ? Number(v) : v;
}

/** A flag that may name a SOURCE: bare = true, `false`/`no` = false, else the SOURCE. */
function sourceOrFlag(value: unknown): boolean | string {
  const v = Array.isArray(value) ? value[value.length - 1] : value;
  if (v === undefined || v === '' || v === true || v === 'true') return true;
  if (v === false || v === 'false' || v === 'no') return false;
  return String(v);
}

/** `T` without its index signature (yargs adds `[key: string]: unknown`). */
type KnownKeys<T> = {
  [K in keyof T as string extends K ? never : number extends K ? never : K]: T[K];
};
type ParsedRun = KnownKeys<Awaited<ReturnType<ReturnType<typeof runOptions>['parseAsync']>>>;

/** The parsed run flags (every flag optional: an unset flag leaves the file's value). */
export type RunArgs = Partial<Omit<ParsedRun, '_' | '$0'>> & {
  tests?: (string | number)[];
};

/** Turn flags into configuration overrides (the file's shape); unset flags stay undefined. */
export function toOverrides(a: RunArgs): Record<string, unknown> {
  const tests = a.tests?.map(String);
  const mkosiBuild = a['mkosi.build'];
  return {
    fstests: a.fstests,
    test_selection: {
      tests: tests && tests.length > 0 ? tests : undefined,
      groups: a.groups,
      exclude_groups: a['exclude-groups'],
      exclude_tests: a['exclude-tests'],
      exclude_tests_file: a['exclude-tests-file'],
      section: a.section,
      exclude_section: a['exclude-section'],
      randomize: a.randomize,
      seed: a.seed,
      iterate: a.iterate,
      list: a.list,
      file_system: a['file-system'],
      slowest_first: a['slowest-first'],
      rerun_failures: a['rerun-failures'],
    },
    test_runner: {
      keep_alive: a['keep-alive'],
      test_timeout: a['test-timeout'],
      probe_interval: a['probe-interval'],
      probe_timeout: a['probe-timeout'],
      probe_retries: a['probe-retries'],
      probe_retry_interval: a['probe-retry-interval'],
      max_supervisor_restarts: a['max-supervisor-restarts'],
      retry_failures: a['retry-failures'],
      batch: a.batch,
      dmesg: a.dmesg,
      bpftrace: a.bpftrace === undefined ? undefined : true,
      bpftrace_script: a.bpftrace,
    },
    mkosi: {
      num: a['mkosi.num'],
      config: a['mkosi.config'],
      build: mkosiBuild !== undefined && mkosiBuild > 0 ? true : undefined,
    },
    qemu: {
      num: a['qemu.num'],
      kernel: a['qemu.kernel'],
      initrd: a['qemu.initrd'],
      image: a['qemu.image'],
      append: a['qemu.append'],
      accel: a['qemu.accel'],
      memory: a['qemu.memory'],
      cpus: a['qemu.cpus'],
      ssh_key: a['qemu.ssh-key'],
      scratch_drives: a['qemu.scratch-drives'],
    },
    custom_vm: {
      vms: a.vms,
      accept_new_host_keys: a['accept-new-host-keys'],
      timeout: a['host-timeout'],
    },
    output: {
      results_dir: a['results-dir'],
      verbose: a.verbose,
      print_failure_list: a['print-failure-list'],
      print_n_slowest: a['print-n-slowest'],
      print_duration_hist: a['print-duration-hist'],
      record: a.record,
      junit: a.junit,
      json: a.json,
    },
  };
}
