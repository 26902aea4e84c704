import { resolve } from 'node:path';
import {
  type ImageProgress,
  buildImage,
  configSnippet,
  loadConfig,
  mergeConfig,
  parseSize,
} from '@ff/fstests';
import type { Argv } from 'yargs';
import { EXIT, UsageError } from '../exit-codes.js';
import { type CliIo, println } from '../io.js';
import { installInterruptHandler } from '../signals.js';
import { formatDuration } from '../view/format.js';

/** The options of `ff image build`; each maps to a configuration key. */
export function imageBuildOptions<T>(y: Argv<T>) {
  return y
    .option('fstests', { type: 'string', describe: 'the fstests checkout to build in (fstests)' })
    .option('kernel', { type: 'string', describe: 'the kernel it boots ([qemu] kernel)' })
    .option('modules', { type: 'string', describe: "the kernel's modules ([image] modules)" })
    .option('fstyp', { type: 'string', describe: 'FSTYP; TEST_DEV is formatted at boot' })
    .option('mirror', { type: 'string', describe: 'Debian mirror' })
    .option('suite', { type: 'string', describe: 'Debian release' })
    .option('format', { type: 'string', choices: ['raw', 'qcow2'], describe: 'image format' })
    .option('packages', { type: 'string', array: true, describe: 'Debian packages to add' })
    .option('size', { type: 'string', describe: 'image size (8G); default: files + 2 GiB' })
    .option('ssh-key', { type: 'string', describe: 'private key ff logs in with ([qemu] ssh_key)' })
    .option('cache-dir', { type: 'string', describe: 'where images are kept' })
    .option('jobs', { alias: 'j', type: 'number', describe: 'parallel make jobs' })
    .option('force', { alias: 'f', type: 'boolean', describe: 'build even if cached' })
    .option('json', { type: 'boolean', describe: 'print the built image as JSON' });
}

/** Parsed `ff image build` arguments. */
export type ImageBuildArgs = Partial<{
  fstests: string;
  kernel: string;
  modules: string;
  fstyp: string;
  mirror: string;
  suite: string;
  format: string;
  packages: (string | number)[];
  size: string;
  'ssh-key': string;
  'cache-dir': string;
  jobs: number;
  force: boolean;
  json: boolean;
}>;

/** A view of the build on stderr: a line per step, with the time it began. */
function progressView(io: CliIo): (event: ImageProgress) => void {
  const started = Date.now();
  let count = 0;
  return (event) => {
    if (event.type === 'output') {
      if (event.line.startsWith('waiting for another')) println(io.stderr, event.line);
      return;
    }
    count++;
    const at = formatDuration(Date.now() - started).padStart(6);
    println(io.stderr, `${at}  [${count}] ${event.step}: ${event.title}`);
  };
}

/**
 * `ff image build`: build (or find in the cache) a root image with fstests for `[qemu]`, then
 * print the config.toml lines that use it.
 */
export async function imageBuildCommand(args: ImageBuildArgs, io: CliIo): Promise<number> {
  const abs = (path: string | undefined) =>
    path === undefined ? undefined : resolve(io.cwd, path);
  const loaded = await loadConfig({ cwd: io.cwd, env: io.env });
  const config = mergeConfig(loaded, {
    fstests: abs(args.fstests),
    qemu: { kernel: abs(args.kernel), ssh_key: abs(args['ssh-key']) },
    image: {
      mirror: args.mirror,
      suite: args.suite,
      fstyp: args.fstyp,
      format: args.format === 'qcow2' || args.format === 'raw' ? args.format : undefined,
      packages: args.packages?.flatMap((p) => String(p).split(',')).filter(Boolean),
      modules: abs(args.modules),
      size: args.size,
      cache_dir: abs(args['cache-dir']),
    },
  });
  const fromConfig = (path: string | undefined) =>
    path === undefined ? undefined : resolve(loaded.baseDir, path);
  const fstests = fromConfig(config.fstests);
  if (fstests === undefined) {
    throw new UsageError('no fstests checkout: pass --fstests DIR or set fstests in config.toml');
  }
  const image = config.image;
  const controller = new AbortController();
  const interrupt = installInterruptHandler(
    controller,
    async () => undefined,
    (text) => println(io.stderr, text),
  );
  try {
    const kernel = fromConfig(config.qemu.kernel);
    const modules = fromConfig(image.modules);
    const sshKey = fromConfig(config.qemu.ssh_key);
    const cacheDir = fromConfig(image.cache_dir);
    const built = await buildImage({
      fstests,
      ...(kernel === undefined ? {} : { kernel }),
      ...(modules === undefined ? {} : { modules }),
      ...(sshKey === undefined ? {} : { sshKey }),
      ...(cacheDir === undefined ? {} : { cacheDir }),
      ...(image.mirror === undefined ? {} : { mirror: image.mirror }),
      ...(image.suite === undefined ? {} : { suite: image.suite }),
      ...(image.fstyp === undefined ? {} : { fstyp: image.fstyp }),
      ...(image.format === undefined ? {} : { format: image.format }),
      ...(image.size === undefined ? {} : { sizeMb: Math.ceil(parseSize(image.size) / 1024 ** 2) }),
      ...(args.jobs === undefined ? {} : { jobs: args.jobs }),
      packages: image.packages,
      force: args.force === true,
      onProgress: progressView(io),
      signal: controller.signal,
    });
    const how = built.cached
      ? `cached, built earlier in ${formatDuration(built.buildMs)}`
      : `built in ${formatDuration(built.buildMs)}`;
    println(io.stderr, `image: ${built.image} (${how}; log ${built.logPath})`);
    println(io.stderr, `config snippet: ${built.dir}/config.toml`);
    if (args.json) println(io.stdout, JSON.stringify(built, null, 2));
    else io.stdout.write(configSnippet(built));
    return EXIT.ok;
  } catch (error) {
    if (interrupt.interrupted) return EXIT.interrupted;
    throw error;
  } finally {
    interrupt.dispose();
  }
}
