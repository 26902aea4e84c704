import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { delay } from '@ff/parallelrunner';

/**
 * The machine state file mkosi writes just before QEMU starts and removes on exit. mkosi 26
 * writes it only when the VM has a vsock device (the TCP fallback gets none).
 */
export interface MachineState {
  /** `Machine`: the machine name. */
  readonly machine: string;
  /** `Pid`: mkosi's own process id (not QEMU's); undefined when absent. */
  readonly pid: number | undefined;
  /** `ProxyCommand`: the ssh ProxyCommand (carries the vsock CID); undefined when absent. */
  readonly proxyCommand: string | undefined;
  /** `SshKey`: path of the private key; undefined when absent. */
  readonly sshKey: string | undefined;
}

/**
 * Directory of mkosi's machine state files: `$XDG_RUNTIME_DIR/mkosi/machine`, or
 * `/run/mkosi/machine` for root without `XDG_RUNTIME_DIR`.
 */
export function machineStateDir(
  env: NodeJS.ProcessEnv = process.env,
  uid: number = process.getuid?.() ?? 0,
): string {
  const runtime = env.XDG_RUNTIME_DIR || (uid === 0 ? '/run' : `/run/user/${uid}`);
  return join(runtime, 'mkosi', 'machine');
}

/** Path of the state file of `machine`. */
export function machineStatePath(machine: string, dir: string = machineStateDir()): string {
  return join(dir, `${machine}.json`);
}

/** Parse a state file's JSON (keys `Machine`, `Pid`, `ProxyCommand`, `SshKey`); undefined if invalid. */
export function parseMachineState(text: string): MachineState | undefined {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof data !== 'object' || data === null) return undefined;
  const o = data as Record<string, unknown>;
  if (typeof o.Machine !== 'string') return undefined;
  return {
    machine: o.Machine,
    pid: typeof o.Pid === 'number' ? o.Pid : undefined,
    proxyCommand: typeof o.ProxyCommand === 'string' ? o.ProxyCommand : undefined,
    sshKey: typeof o.SshKey === 'string' ? o.SshKey : undefined,
  };
}

/** The vsock CID in a ProxyCommand such as `socat - VSOCK-CONNECT:42:%p`; undefined if none. */
export function cidFromProxyCommand(command: string): number | undefined {
  const m = /VSOCK-CONNECT:(\d+):/i.exec(command) ?? /\bvsock[/%](\d+)\b/.exec(command);
  return m?.[1] ? Number(m[1]) : undefined;
}

/** Read the state file at `path`; undefined while it does not exist or is incomplete. */
export async function readMachineState(path: string): Promise<MachineState | undefined> {
  try {
    return parseMachineState(await readFile(path, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Poll for the state file at `path` until it is complete; rejects with `signal.reason`. */
export async function waitForMachineState(
  path: string,
  signal: AbortSignal,
  intervalMs = 100,
): Promise<MachineState> {
  for (;;) {
    signal.throwIfAborted();
    const state = await readMachineState(path);
    if (state) return state;
    await delay(intervalMs, signal);
  }
}
