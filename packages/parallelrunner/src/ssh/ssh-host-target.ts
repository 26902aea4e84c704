import { readFile, stat } from 'node:fs/promises';
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import type { Client } from 'ssh2';
import { describeCause } from '../errors.js';
import { connectOnce } from './connect.js';
import { SshConfigError } from './errors.js';
import { parseHostSpec } from './host-spec.js';
import { privateKeyProblem } from './private-key.js';
import { loadSshConfig } from './ssh-config-include.js';
import { resolveHost } from './ssh-config.js';
import type { HostKeyPolicy, SshEndpoint, SshTarget } from './target.js';

/** Options of `SshHostTarget` and `SshHostSupervisor`. */
export interface SshHostTargetOptions {
  /** An ssh_config alias or `[user@]host[:port]` (the host part is looked up in ssh_config). */
  readonly host: string;
  /**
   * ssh_config to honour, with its `Include`s (relative ones from `~/.ssh`) and `Match` blocks.
   * Default `~/.ssh/config` (a missing default file is no config).
   */
  readonly sshConfigPath?: string;
  /**
   * known_hosts files to verify the host key against. Default: ssh_config's
   * `UserKnownHostsFile`, else `~/.ssh/known_hosts`.
   */
  readonly knownHostsFiles?: readonly string[];
  /**
   * Trust and record an unknown host key (a changed key is always an error). Default: true
   * when ssh_config says `StrictHostKeyChecking accept-new` or `no`, else false.
   */
  readonly acceptNewHostKeys?: boolean;
  /**
   * Private key files; the first that exists and has no passphrase is used. When none is
   * usable and no agent is available, `open` fails naming an encrypted file (or the only one
   * that exists). Default: ssh_config's `IdentityFile`s, else `~/.ssh/id_ed25519`, `id_ecdsa`,
   * `id_rsa`.
   */
  readonly identityFiles?: readonly string[];
  /**
   * ssh-agent socket; `''` disables the agent (so does a path that is not a socket).
   * Default `process.env.SSH_AUTH_SOCK`.
   */
  readonly agent?: string;
  /** Retry connecting for this long at start (a host that is booting). Default: one try. */
  readonly waitReadyMs?: number;
}

const DEFAULT_IDENTITIES = ['id_ed25519', 'id_ecdsa', 'id_rsa'];
/** How many ProxyJump hosts a chain may pass through to reach its first hop. */
const MAX_JUMP_DEPTH = 16;

/** Whether `socket` names an ssh-agent socket that exists (`''`/unset: none). */
async function agentAvailable(socket: string | undefined): Promise<boolean> {
  if (!socket) return false;
  return stat(socket).then(
    (s) => s.isSocket(),
    () => false,
  );
}

/**
 * The first identity file that exists and parses without a passphrase. When none does and no
 * agent can help, fail clearly instead of letting authentication fail later: an encrypted file
 * is named (load it with ssh-add), as is a file that cannot be used for another reason when it
 * is the only one that exists. With an agent, such files are skipped (it may hold the key).
 */
async function loadKey(files: readonly string[], agent: boolean): Promise<Buffer | undefined> {
  const unusable: { file: string; encrypted: boolean; reason: string }[] = [];
  for (const file of files) {
    const data = await readFile(file).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') {
        unusable.push({ file, encrypted: false, reason: describeCause(error) });
      }
      return undefined;
    });
    if (data === undefined) continue;
    const problem = privateKeyProblem(data);
    if (problem === undefined) return data;
    unusable.push({ file, encrypted: /no passphrase given/.test(problem), reason: problem });
  }
  if (agent) return undefined;
  const encrypted = unusable.find((u) => u.encrypted);
  if (encrypted !== undefined) {
    throw new SshConfigError(
      `identity file ${encrypted.file} is encrypted and no ssh-agent is available: load it with ssh-add, or give an unencrypted key`,
    );
  }
  const [only] = unusable;
  if (only !== undefined && unusable.length === 1) {
    throw new SshConfigError(
      `identity file ${only.file} cannot be used (${only.reason}) and no ssh-agent is available: give a usable key`,
    );
  }
  return undefined;
}

/**
 * An existing host reached by `[user@]host[:port]` or an ssh_config alias, optionally through
 * `ProxyJump` hops (each connected with ssh2, the next reached by `forwardOut`). As with ssh,
 * the first hop's own `ProxyJump` is followed too (a loop is an `SshConfigError`).
 */
export class SshHostTarget implements SshTarget {
  readonly #options: SshHostTargetOptions;
  #jumps: Client[] = [];
  /** Counts `close` calls: a hop connected after a close is closed at once, not kept. */
  #closes = 0;

  constructor(options: SshHostTargetOptions) {
    this.#options = options;
  }

  /** Resolve the host through ssh_config and return how to reach it (through ProxyJump hops). */
  async open(signal: AbortSignal): Promise<SshEndpoint> {
    const o = this.#options;
    const configPath = o.sshConfigPath ?? join(homedir(), '.ssh', 'config');
    const config = await loadSshConfig(configPath, { missingOk: o.sshConfigPath === undefined });
    const agent = o.agent ?? process.env.SSH_AUTH_SOCK;
    const hasAgent = await agentAvailable(agent);
    const endpointFor = async (
      spec: string,
    ): Promise<{ endpoint: SshEndpoint; jumps: readonly string[] }> => {
      const parsed = parseHostSpec(spec);
      const resolved = resolveHost(parsed.host, config, {
        ...(parsed.user === undefined ? {} : { user: parsed.user }),
      });
      const strict = resolved.strictHostKeyChecking;
      const acceptNew = o.acceptNewHostKeys ?? (strict === 'accept-new' || strict === 'no');
      const files =
        o.knownHostsFiles ??
        (resolved.userKnownHostsFiles.length > 0
          ? resolved.userKnownHostsFiles
          : [join(homedir(), '.ssh', 'known_hosts')]);
      const hostKey: HostKeyPolicy = { mode: 'known-hosts', files, acceptNew };
      const identities =
        o.identityFiles ??
        (resolved.identityFiles.length > 0
          ? resolved.identityFiles
          : DEFAULT_IDENTITIES.map((f) => join(homedir(), '.ssh', f)));
      const privateKey = await loadKey(identities, hasAgent);
      const endpoint: SshEndpoint = {
        host: resolved.hostName,
        port: parsed.port ?? resolved.port ?? 22,
        username: resolved.user ?? userInfo().username,
        hostKey,
        ...(privateKey === undefined ? {} : { privateKey }),
        ...(hasAgent && agent !== undefined ? { agent } : {}),
        ...(o.waitReadyMs === undefined ? {} : { waitReadyMs: o.waitReadyMs }),
      };
      return { endpoint, jumps: resolved.proxyJump };
    };
    // As ssh does: the first hop is reached through its own ProxyJump (recursively); each
    // later hop through the one before it, so its own ProxyJump does not apply.
    const route = async (
      jumps: readonly string[],
      via: readonly string[],
    ): Promise<SshEndpoint[]> => {
      const [first, ...rest] = jumps;
      if (first === undefined) return [];
      if (via.includes(first) || via.length > MAX_JUMP_DEPTH) {
        throw new SshConfigError(`ProxyJump loop or too deep: ${[...via, first].join(' -> ')}`);
      }
      const hop = await endpointFor(first);
      const later = await Promise.all(rest.map(endpointFor));
      return [
        ...(await route(hop.jumps, [...via, first])),
        hop.endpoint,
        ...later.map((h) => h.endpoint),
      ];
    };
    signal.throwIfAborted();
    const { endpoint, jumps } = await endpointFor(o.host);
    const hops = await route(jumps, [o.host]);
    if (hops.length === 0) return endpoint;
    return { ...endpoint, sock: () => this.#jumpChain(hops, endpoint) };
  }

  /** Connect every hop (each through the previous one) and open a channel to `final`. */
  async #jumpChain(hops: readonly SshEndpoint[], final: SshEndpoint): Promise<Duplex> {
    await this.close();
    const closes = this.#closes;
    const signal = AbortSignal.timeout(20_000);
    const tuning = { keepaliveIntervalMs: 5000, keepaliveCountMax: 3 };
    let previous: Client | undefined;
    const forward = (client: Client, to: SshEndpoint) =>
      new Promise<Duplex>((resolve, reject) =>
        client.forwardOut('127.0.0.1', 0, to.host, to.port, (error, channel) =>
          error
            ? reject(
                new SshConfigError(`ProxyJump to ${to.host}:${to.port}: ${describeCause(error)}`),
              )
            : resolve(channel),
        ),
      );
    for (const hop of hops) {
      const sock = previous ? await forward(previous, hop) : undefined;
      const client = await connectOnce(
        sock ? { ...hop, sock: async () => sock } : hop,
        tuning,
        signal,
      );
      if (this.#closes !== closes) {
        // The supervisor gave up (a start timeout) while this hop was connecting.
        client.end();
        throw new SshConfigError(`ProxyJump via ${hop.host}:${hop.port}: closed while connecting`);
      }
      this.#jumps.push(client);
      previous = client;
    }
    if (previous === undefined) throw new SshConfigError('ProxyJump without hops');
    return forward(previous, final);
  }

  /** Close the ProxyJump connections opened by `open`. */
  async close(): Promise<void> {
    this.#closes++;
    const jumps = this.#jumps;
    this.#jumps = [];
    for (const client of jumps.reverse()) client.end();
  }
}
