import { type ChildProcess, spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type Sshd,
  type SshdOptions,
  startSshd,
} from '../../../../packages/parallelrunner/test/ssh/support/sshd.js';

const here = dirname(fileURLToPath(import.meta.url));
/** The built `ff` binary. */
export const FF = resolve(here, '../../dist/ff.js');
/** The repository's root. */
export const REPO = resolve(here, '../../../..');
/** `bin/ff`: `ff` from a checkout, as the README puts it on PATH. */
export const BIN_FF = join(REPO, 'bin', 'ff');
/** The fstests-shaped fixture tree of @ff/fstests. */
export const FIXTURE = resolve(here, '../../../../packages/fstests/test/fixtures/fstests');

/** A temp workspace: a HOME with an ssh config naming each sshd as `hostN`, and fixture copies. */
export interface Workspace extends AsyncDisposable {
  readonly dir: string;
  readonly home: string;
  readonly hosts: Sshd[];
  /** `hostN:<copy of the fixture tree for host N>` for each host. */
  readonly vms: string[];
  /** The local copy used for collection. */
  readonly fstests: string;
  writeConfig(text: string): Promise<string>;
}

export async function workspace(hostCount: number, sshd: SshdOptions = {}): Promise<Workspace> {
  const dir = await mkdtemp(join(tmpdir(), 'ff-cli-'));
  const home = join(dir, 'home');
  await mkdir(join(home, '.ssh'), { recursive: true, mode: 0o700 });
  const hosts: Sshd[] = [];
  const vms: string[] = [];
  const sshConfig: string[] = [];
  const known: string[] = [];
  try {
    for (let i = 1; i <= hostCount; i++) {
      const host = await startSshd(sshd);
      hosts.push(host);
      const tree = join(dir, `host${i}`, 'xfstests');
      await cp(FIXTURE, tree, { recursive: true });
      vms.push(`host${i}:${tree}`);
      sshConfig.push(
        `Host host${i}`,
        '  HostName 127.0.0.1',
        `  Port ${host.port}`,
        `  User ${host.username}`,
        `  IdentityFile ${host.userKeyPath}`,
        '',
      );
      known.push(`[127.0.0.1]:${host.port} ${host.hostPublicKey}`);
    }
  } catch (error) {
    await Promise.all(hosts.map((h) => h.stop()));
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  await writeFile(join(home, '.ssh', 'config'), sshConfig.join('\n'));
  await writeFile(join(home, '.ssh', 'known_hosts'), `${known.join('\n')}\n`);
  const fstests = join(dir, 'local', 'xfstests');
  await cp(FIXTURE, fstests, { recursive: true });
  const stop = async () => {
    await Promise.all(hosts.map((h) => h.stop()));
    await rm(dir, { recursive: true, force: true });
  };
  return {
    dir,
    home,
    hosts,
    vms,
    fstests,
    async writeConfig(text) {
      const path = join(dir, 'config.toml');
      await writeFile(path, text);
      return path;
    },
    [Symbol.asyncDispose]: stop,
  };
}

/** What a finished `ff` process did. */
export interface FfResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Spawn `ff` as a user would; `onStdout` sees output as it arrives. `command` replaces the
 * built binary (e.g. `[BIN_FF]`); `detached` gives it its own process group, as a shell gives
 * a job (signal it with `process.kill(-child.pid, ...)`, as Ctrl-C does).
 */
export function ff(
  args: readonly string[],
  options: {
    cwd: string;
    env?: Record<string, string>;
    command?: readonly string[];
    detached?: boolean;
    onSpawn?: (child: ChildProcess) => void;
    onStdout?: (text: string) => void;
  },
): Promise<FfResult> {
  return new Promise((resolveRun, reject) => {
    const [program = process.execPath, ...before] = options.command ?? [process.execPath, FF];
    const child = spawn(program, [...before, ...args], {
      cwd: options.cwd,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', CI: '1', NO_COLOR: '1', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: options.detached ?? false,
    });
    options.onSpawn?.(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      options.onStdout?.(stdout);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.once('error', reject);
    child.once('close', (code, signal) => resolveRun({ code, signal, stdout, stderr }));
  });
}
