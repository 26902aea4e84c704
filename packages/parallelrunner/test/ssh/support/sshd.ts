/**
 * Test helper: a real OpenSSH sshd on 127.0.0.1 with freshly generated host and user keys in a
 * temp dir, for tests and benchmarks of SSH code. Every instance must be stopped (`stop()` or
 * `await using`); stopping kills the daemon and every process it spawned, and removes the dir.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Options of `startSshd`. */
export interface SshdOptions {
  /** Extra sshd_config lines, appended after the defaults. */
  readonly config?: readonly string[];
  /** `MaxSessions` (channels per connection). Default 64. */
  readonly maxSessions?: number;
  /** How long to wait for the daemon to listen. Default 10000 ms. */
  readonly readyTimeoutMs?: number;
}

/** A running test sshd. */
export interface Sshd extends AsyncDisposable {
  readonly host: '127.0.0.1';
  readonly port: number;
  /** The local user, which the daemon lets in with the user key. */
  readonly username: string;
  /** The temp dir holding keys, config and known_hosts. */
  readonly dir: string;
  /** Pid of the listening daemon. */
  readonly pid: number;
  readonly hostKeyPath: string;
  /** The host public key line (`ssh-ed25519 AAAA...`). */
  readonly hostPublicKey: string;
  /** Private key authorized to log in (no passphrase). */
  readonly userKeyPath: string;
  /** A known_hosts file holding `[127.0.0.1]:port <host key>`. */
  readonly knownHostsPath: string;
  /** Pids of every process below the daemon (connections and the commands they run). */
  descendants(): Promise<number[]>;
  /** Kill every connection (and what it runs) but keep the daemon listening. */
  dropConnections(): Promise<void>;
  /** Kill the daemon and all its descendants, and remove the temp dir. Idempotent. */
  stop(): Promise<void>;
}

/** Parent pid of every process, from /proc. */
async function parentMap(): Promise<Map<number, number[]>> {
  const children = new Map<number, number[]>();
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => undefined);
    // Field 4 (ppid) follows the parenthesised command name, which may contain spaces.
    const ppid =
      stat === undefined ? Number.NaN : Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (Number.isNaN(ppid)) continue;
    children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
  }
  return children;
}

/** Pids of every live descendant of `pid` (not `pid` itself). */
export async function descendantsOf(pid: number): Promise<number[]> {
  const children = await parentMap();
  const found: number[] = [];
  const queue = [...(children.get(pid) ?? [])];
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    found.push(next);
    queue.push(...(children.get(next) ?? []));
  }
  return found;
}

function killAll(pids: readonly number[]): void {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Resolve once sshd logs that it listens; reject with its stderr if it exits first. */
function waitListening(child: ChildProcess, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let log = '';
    const done = (error?: Error) => {
      clearTimeout(timer);
      child.stderr?.removeListener('data', onData);
      child.removeListener('exit', onExit);
      child.stderr?.resume();
      if (error) reject(error);
      else resolve();
    };
    const onData = (chunk: Buffer) => {
      log += chunk.toString();
      if (log.includes('Server listening on')) done();
    };
    const onExit = () => done(new Error(`sshd exited before listening:\n${log}`));
    const timer = setTimeout(
      () => done(new Error(`sshd did not listen in time:\n${log}`)),
      timeoutMs,
    );
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
  });
}

/** Start a test sshd on a free loopback port (retrying on a port race). */
export async function startSshd(options: SshdOptions = {}): Promise<Sshd> {
  await mkdir('/run/sshd', { recursive: true });
  const dir = await mkdtemp(join(tmpdir(), 'ff-sshd-'));
  const hostKeyPath = join(dir, 'host_ed25519');
  const userKeyPath = join(dir, 'id_ed25519');
  const keygen = (path: string) =>
    run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'ff-test', '-f', path]);
  await Promise.all([keygen(hostKeyPath), keygen(userKeyPath)]);
  const hostPublicKey = (await readFile(`${hostKeyPath}.pub`, 'utf8'))
    .trim()
    .split(' ')
    .slice(0, 2)
    .join(' ');
  await mkdir(join(dir, 'home'), { recursive: true });
  await writeFile(join(dir, 'authorized_keys'), await readFile(`${userKeyPath}.pub`));
  const setEnv = (options.config ?? [])
    .filter((line) => /^SetEnv\s/i.test(line))
    .flatMap((line) => line.trim().split(/\s+/).slice(1));
  const extra = (options.config ?? []).filter((line) => !/^SetEnv\s/i.test(line));
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const configPath = join(dir, 'sshd_config');
    const config = [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${hostKeyPath}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
      'PermitRootLogin prohibit-password',
      'UsePAM no',
      'StrictModes no',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'UseDNS no',
      'PrintMotd no',
      `MaxSessions ${options.maxSessions ?? 64}`,
      'MaxStartups 200',
      'Subsystem sftp internal-sftp',
      // Logins get an empty HOME of their own: the machine user's shell start-up files (root's
      // .bashrc runs `pyenv rehash`, whose lock a killed login leaves behind, stalling every
      // later login for a minute) are not the code under test. sshd reads only the first
      // SetEnv line, so the caller's variables join this one.
      ['SetEnv', `HOME=${join(dir, 'home')}`, ...setEnv].join(' '),
      'LogLevel INFO',
      ...extra,
    ];
    await writeFile(configPath, `${config.join('\n')}\n`);
    const child = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', configPath], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    try {
      await waitListening(child, options.readyTimeoutMs ?? 10_000);
    } catch (error) {
      child.kill('SIGKILL');
      if (attempt < 5 && String(error).includes('Address already in use')) continue;
      await rm(dir, { recursive: true, force: true });
      throw error;
    }
    const pid = child.pid ?? 0;
    const knownHostsPath = join(dir, 'known_hosts');
    await writeFile(knownHostsPath, `[127.0.0.1]:${port} ${hostPublicKey}\n`);
    let stopped: Promise<void> | undefined;
    const exited = new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve();
      else child.once('exit', () => resolve());
    });
    const stop = () => {
      stopped ??= (async () => {
        const below = await descendantsOf(pid);
        killAll([pid, ...below]);
        await exited;
        await rm(dir, { recursive: true, force: true });
      })();
      return stopped;
    };
    return {
      host: '127.0.0.1',
      port,
      username: userInfo().username,
      dir,
      pid,
      hostKeyPath,
      hostPublicKey,
      userKeyPath,
      knownHostsPath,
      descendants: () => descendantsOf(pid),
      dropConnections: async () => killAll(await descendantsOf(pid)),
      stop,
      [Symbol.asyncDispose]: stop,
    };
  }
}
