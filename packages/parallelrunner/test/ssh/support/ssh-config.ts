import { readFile } from 'node:fs/promises';
import type { Sshd } from './sshd.js';

/** Connections `sshd` serves: its direct children (one per accepted connection). */
export async function connectionCount(sshd: Sshd): Promise<number> {
  let n = 0;
  for (const pid of await sshd.descendants()) {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (ppid === sshd.pid) n++;
  }
  return n;
}

/** ssh_config lines for `alias`, reaching `sshd` (at `port`, default its own) with its keys. */
export function hostBlock(alias: string, sshd: Sshd, port = sshd.port): string[] {
  return [
    `Host ${alias}`,
    '  HostName 127.0.0.1',
    `  Port ${port}`,
    `  User ${sshd.username}`,
    `  IdentityFile ${sshd.userKeyPath}`,
    `  UserKnownHostsFile ${sshd.knownHostsPath}`,
  ];
}
