/**
 * The one valibot schema of fast-fstests' configuration. It validates `config.toml` and the
 * command-line overrides alike. Objects are strict: unknown keys are errors. Durations are in
 * seconds, as in the original tool. Defaults are documented in `config.toml.example`.
 */
import * as v from 'valibot';

const strings = v.optional(v.array(v.string()), []);
const count = (min: number) => v.pipe(v.number(), v.integer(), v.minValue(min));
const seconds = v.pipe(v.number(), v.gtValue(0));
const SIZE = /^[0-9]+[KMGT]?$/;

/** `[test_selection]`. */
export const TestSelectionSchema = v.strictObject({
  /** Tests to run (globs allowed). Default none. */
  tests: strings,
  /** `-g`: groups (`quick`, `xfs/quick`, `all`). Default none (then `auto`). */
  groups: strings,
  /** `-e`: tests to exclude. */
  exclude_tests: strings,
  /** `-E`: a file listing tests to exclude. */
  exclude_tests_file: v.optional(v.string()),
  /** `-x`: groups to exclude. */
  exclude_groups: strings,
  /** `-s`: sections of local.config to run. */
  section: strings,
  /** `-S`: sections of local.config to skip. */
  exclude_section: strings,
  /** `-r`: random order. Default false. */
  randomize: v.optional(v.boolean(), false),
  /** `--seed`: seed of the random order. Default: a fresh one (printed). */
  seed: v.optional(count(0)),
  /** `-i N`: run every test N times. Default 1. */
  iterate: v.optional(count(1), 1),
  /** `-l`: list the selection and exit. Default false. */
  list: v.optional(v.boolean(), false),
  /** `-f`: generic + this file system's tests. Default: every test directory. */
  file_system: v.optional(v.string()),
  /**
   * Longest-first order from earlier durations: `true` uses the duration history of every
   * run, a SOURCE (a recording label, `-N`, a run id) pins it to that run. Default true.
   */
  slowest_first: v.optional(v.union([v.boolean(), v.pipe(v.string(), v.minLength(1))]), true),
  /**
   * Run only the tests that failed or errored: `true` in the latest run, or in a SOURCE (a
   * recording label, `-N`, a run id). Default false.
   */
  rerun_failures: v.optional(v.union([v.boolean(), v.pipe(v.string(), v.minLength(1))]), false),
});

/** `[test_runner]`. */
export const TestRunnerSchema = v.strictObject({
  /** Keep the VMs running after the run. Default false. */
  keep_alive: v.optional(v.boolean(), false),
  /** Per-test timeout in seconds. Default none. */
  test_timeout: v.optional(seconds),
  /** Trace every test with bpftrace. Default false. */
  bpftrace: v.optional(v.boolean(), false),
  /** The bpftrace script. Default none. */
  bpftrace_script: v.optional(v.string()),
  /** Seconds between liveness probes; 0 disables them. Default 10. */
  probe_interval: v.optional(v.pipe(v.number(), v.minValue(0)), 10),
  /** Seconds one probe may take before it counts as failed. Default 10. */
  probe_timeout: v.optional(seconds, 10),
  /** Retries of a failed probe before the VM or host counts as dead. Default 3. */
  probe_retries: v.optional(count(0), 3),
  /** Seconds between a failed probe and its retry. Default 5. */
  probe_retry_interval: v.optional(v.pipe(v.number(), v.minValue(0)), 5),
  /** A test that kills this many supervisors is an error. Default 3. */
  max_supervisor_restarts: v.optional(count(0), 3),
  /** Stream `dmesg -W` per test. Default true. */
  dmesg: v.optional(v.boolean(), true),
  /** Retry a failed test this many times. Default 0. */
  retry_failures: v.optional(count(0), 0),
  /**
   * Several short tests per `./check`: `auto` (target 10 minutes per batch), a target batch
   * length in seconds, or `off`. Default `auto` (it batches only tests with history).
   */
  batch: v.optional(
    v.union(
      [v.picklist(['auto', 'off']), seconds],
      'expected "auto", "off" or a number of seconds > 0',
    ),
    'auto',
  ),
});

/** `[mkosi]`. */
export const MkosiSchema = v.strictObject({
  /** Number of mkosi VMs. Default 0. */
  num: v.optional(count(0), 0),
  /** The mkosi configuration directory. */
  config: v.optional(v.string()),
  /** Extra mkosi options. */
  options: strings,
  /** Extra mkosi `--include` directories. */
  include: strings,
  /** The fstests path inside the VMs. Default /var/lib/xfstests. */
  fstests: v.optional(v.string(), '/var/lib/xfstests'),
  /** Start timeout in seconds. Default 300. */
  timeout: v.optional(seconds, 300),
  /** Build the image before the run. Default false. */
  build: v.optional(v.boolean(), false),
});

/** `[custom_vm]`. */
export const CustomVmSchema = v.strictObject({
  /** Existing hosts, `HOST:PATH` each (`user@host:2222:/var/lib/xfstests`). */
  vms: strings,
  /**
   * Trust and record (in the first known_hosts file) the key of a host seen for the first time;
   * a changed key is always an error. Default: what ssh_config's `StrictHostKeyChecking` says
   * (`accept-new` or `no` accept), else refuse.
   */
  accept_new_host_keys: v.optional(v.boolean()),
  /**
   * Seconds a host may take to connect, log in and run a command: the start of each host in a
   * run, and each of `ff doctor`'s host checks. Default 30.
   */
  timeout: v.optional(seconds, 30),
});

/** `[output]`. */
export const OutputSchema = v.strictObject({
  /** The results directory. Default `results`. */
  results_dir: v.optional(v.string(), 'results'),
  /** Print every event. Default false. */
  verbose: v.optional(v.boolean(), false),
  /** Print failed tests as one pasteable line. Default false. */
  print_failure_list: v.optional(v.boolean(), false),
  /** Print the N slowest tests. Default 10. */
  print_n_slowest: v.optional(count(0), 10),
  /** Print a duration histogram. Default false. */
  print_duration_hist: v.optional(v.boolean(), false),
  /** Record the run under this label. Default none. */
  record: v.optional(v.string()),
  /** Write a JUnit XML report here. Default none. */
  junit: v.optional(v.string()),
  /** Write a JSON report here. Default none. */
  json: v.optional(v.string()),
});

/** `[qemu]`. */
export const QemuSchema = v.strictObject({
  /** Kernel image (bzImage/vmlinuz). */
  kernel: v.optional(v.string()),
  /** Initrd. */
  initrd: v.optional(v.string()),
  /** Root disk image (used as an ephemeral snapshot). */
  image: v.optional(v.string()),
  /**
   * Kernel command line. Default `console=ttyS0 panic=-1`, plus `root=/dev/vda rw` with an
   * image. The serial console must stay on ttyS0 for crash detection.
   */
  append: v.optional(v.pipe(v.string(), v.nonEmpty('expected a kernel command line'))),
  /** Memory per VM in MiB. Default 1024. */
  memory: v.optional(count(64), 1024),
  /** CPUs per VM. Default 1. */
  cpus: v.optional(count(1), 1),
  /** Accelerator. Default `auto` (KVM when usable, else TCG). */
  accel: v.optional(v.picklist(['auto', 'kvm', 'tcg']), 'auto'),
  /** Number of QEMU VMs. Default 0. */
  num: v.optional(count(0), 0),
  /** Private key for SSH into the guests. */
  ssh_key: v.optional(v.string()),
  /** Sizes of the scratch drives per VM (`1G`, `512M`). Default none. */
  scratch_drives: v.optional(
    v.array(v.pipe(v.string(), v.regex(SIZE, 'expected a size like 512M or 2G'))),
    [],
  ),
  /** Extra QEMU arguments. */
  extra_args: strings,
  /** Start timeout in seconds. Default 300. */
  timeout: v.optional(seconds, 300),
  /** The fstests path inside the guests. Default /var/lib/xfstests. */
  fstests: v.optional(v.string(), '/var/lib/xfstests'),
});

/** `[image]`: what `ff image build` builds (see `buildImage`). */
export const ImageSchema = v.strictObject({
  /** Debian mirror. Default `http://deb.debian.org/debian`. */
  mirror: v.optional(v.string()),
  /** Debian release. Default `bookworm`. */
  suite: v.optional(v.string()),
  /** FSTYP of the image's local.config; TEST_DEV is formatted with it at boot. Default `ext4`. */
  fstyp: v.optional(v.string()),
  /** `raw` (sparse) or `qcow2`. Default `raw`. */
  format: v.optional(v.picklist(['raw', 'qcow2'])),
  /** Debian packages added to the image's default set. Default none. */
  packages: strings,
  /** The kernel's modules (INSTALL_MOD_PATH or lib/modules/VERSION). Default the host's. */
  modules: v.optional(v.string()),
  /** Image size (`8G`). Default: what the files need plus 2 GiB. */
  size: v.optional(v.pipe(v.string(), v.regex(SIZE, 'expected a size like 8G or 6144M'))),
  /** Where images are cached. Default `~/.cache/fast-fstests/images`. */
  cache_dir: v.optional(v.string()),
});

/** The whole configuration. */
export const ConfigSchema = v.strictObject({
  /** Path to the local fstests checkout (test collection). */
  fstests: v.optional(v.string()),
  test_selection: v.optional(TestSelectionSchema, {}),
  test_runner: v.optional(TestRunnerSchema, {}),
  mkosi: v.optional(MkosiSchema, {}),
  custom_vm: v.optional(CustomVmSchema, {}),
  output: v.optional(OutputSchema, {}),
  qemu: v.optional(QemuSchema, {}),
  image: v.optional(ImageSchema, {}),
});

/** A validated configuration with defaults filled in. */
export type Config = v.InferOutput<typeof ConfigSchema>;

/** What a user may write (file) or pass (flags): every key optional. */
export type ConfigInput = v.InferInput<typeof ConfigSchema>;

/** The valid keys of each table, for "did you mean" suggestions (`''` is the top level). */
export const KNOWN_KEYS: Readonly<Record<string, readonly string[]>> = {
  '': Object.keys(ConfigSchema.entries),
  test_selection: Object.keys(TestSelectionSchema.entries),
  test_runner: Object.keys(TestRunnerSchema.entries),
  mkosi: Object.keys(MkosiSchema.entries),
  custom_vm: Object.keys(CustomVmSchema.entries),
  output: Object.keys(OutputSchema.entries),
  qemu: Object.keys(QemuSchema.entries),
  image: Object.keys(ImageSchema.entries),
};
