import { mkdir } from 'node:fs/promises';
import { join, posix } from 'node:path';
import type { Client, SFTPWrapper, Stats } from 'ssh2';
import type { CollectedArtifact } from '../supervisor.js';

/*
 * Artifacts come over SFTP rather than a `tar -cf -` stream: SFTP needs no local `tar`
 * process and no tar parser, tells a missing path apart from a failure per path, and is served
 * by OpenSSH's internal-sftp with nothing installed on the far end. (A minimal VM image whose
 * sshd has no sftp subsystem cannot serve artifacts; its supervisor can override `collect`.)
 */

const NO_SUCH_FILE = 2;

function openSftp(client: Client): Promise<SFTPWrapper> {
  return new Promise((resolve, reject) =>
    client.sftp((error, sftp) => (error ? reject(error) : resolve(sftp))),
  );
}

function stat(sftp: SFTPWrapper, path: string): Promise<Stats | undefined> {
  return new Promise((resolve, reject) =>
    sftp.stat(path, (error, stats) => {
      if (!error) resolve(stats);
      else if ((error as Error & { code?: unknown }).code === NO_SUCH_FILE) resolve(undefined);
      else reject(error);
    }),
  );
}

function readdir(sftp: SFTPWrapper, path: string): Promise<{ name: string; stats: Stats }[]> {
  return new Promise((resolve, reject) =>
    sftp.readdir(path, (error, list) =>
      error ? reject(error) : resolve(list.map((e) => ({ name: e.filename, stats: e.attrs }))),
    ),
  );
}

function fastGet(sftp: SFTPWrapper, remote: string, local: string): Promise<void> {
  return new Promise((resolve, reject) =>
    sftp.fastGet(remote, local, (error) => (error ? reject(error) : resolve())),
  );
}

/**
 * Copy `remote` (file or directory, recursively) to `local`; returns the bytes copied.
 * Symbolic links inside directories are followed to files; links to directories are skipped
 * (no cycles).
 */
async function copyTree(
  sftp: SFTPWrapper,
  remote: string,
  stats: Stats,
  local: string,
  signal: AbortSignal | undefined,
): Promise<number> {
  signal?.throwIfAborted();
  if (stats.isFile()) {
    await fastGet(sftp, remote, local);
    return stats.size;
  }
  if (!stats.isDirectory()) return 0;
  await mkdir(local, { recursive: true });
  let bytes = 0;
  for (const entry of await readdir(sftp, remote)) {
    const child = posix.join(remote, entry.name);
    let childStats: Stats | undefined = entry.stats;
    if (entry.stats.isSymbolicLink()) {
      childStats = await stat(sftp, child);
      if (!childStats?.isFile()) continue;
    }
    bytes += await copyTree(sftp, child, childStats, join(local, entry.name), signal);
  }
  return bytes;
}

/**
 * Fetch `paths` into `destDir` keeping their base names, over one SFTP session. Missing paths
 * are skipped.
 */
export async function collectOverSftp(
  client: Client,
  paths: readonly string[],
  destDir: string,
  signal: AbortSignal | undefined,
): Promise<CollectedArtifact[]> {
  signal?.throwIfAborted();
  const sftp = await openSftp(client);
  const onAbort = () => sftp.end();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    await mkdir(destDir, { recursive: true });
    const collected: CollectedArtifact[] = [];
    for (const remotePath of paths) {
      const stats = await stat(sftp, remotePath);
      if (stats === undefined) continue;
      const localPath = join(destDir, posix.basename(remotePath));
      const bytes = await copyTree(sftp, remotePath, stats, localPath, signal);
      collected.push({ remotePath, localPath, bytes });
    }
    return collected;
  } finally {
    signal?.removeEventListener('abort', onAbort);
    sftp.end();
  }
}
