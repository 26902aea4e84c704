import { copyFile, cp, mkdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { CollectedArtifact } from '@ff/parallelrunner';

/** A path as the test named it, and where it is on this machine. */
export interface CopySource {
  readonly remotePath: string;
  readonly sourcePath: string;
}

/**
 * Copy each source (file or directory) into `destDir` under its base name. Missing sources are
 * skipped, as the `Supervisor.collect` contract asks.
 */
export async function copyInto(
  sources: readonly CopySource[],
  destDir: string,
  signal?: AbortSignal,
): Promise<CollectedArtifact[]> {
  await mkdir(destDir, { recursive: true });
  const collected: CollectedArtifact[] = [];
  for (const { remotePath, sourcePath } of sources) {
    signal?.throwIfAborted();
    const info = await stat(sourcePath).catch(() => undefined);
    if (!info) continue;
    const localPath = join(destDir, basename(sourcePath));
    if (info.isDirectory()) await cp(sourcePath, localPath, { recursive: true });
    else await copyFile(sourcePath, localPath);
    collected.push({ remotePath, localPath, bytes: info.isDirectory() ? 0 : info.size });
  }
  return collected;
}
