import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';

/** Where mkosi creates the backing files of `Drives=` entries that name no directory. */
export const DEFAULT_DRIVE_DIR = '/var/tmp';

/**
 * Remove what a SIGKILLed mkosi could not: its machine state file and the backing files of its
 * drives, `<driveDir>/mkosi-drive-<machine>-<id>-<random>` (mkosi 26 names them so and deletes
 * them itself on every other exit). Machine names are fresh per boot, so nothing else matches.
 */
export async function removeMachineLeftovers(
  machine: string,
  statePath: string,
  driveDir: string = DEFAULT_DRIVE_DIR,
): Promise<void> {
  await rm(statePath, { force: true });
  const prefix = `mkosi-drive-${machine}-`;
  const names = await readdir(driveDir).catch(() => [] as string[]);
  await Promise.all(
    names.filter((n) => n.startsWith(prefix)).map((n) => rm(join(driveDir, n), { force: true })),
  );
}
