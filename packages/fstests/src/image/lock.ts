import { readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, owned by someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Take the lock file `path` (it holds the owner's pid), waiting while another live process
 * holds it; a lock left by a process that is gone is taken over. Resolves with the release
 * function. `onWait` is told once which pid is waited for.
 */
export async function acquireLock(
  path: string,
  options: { signal?: AbortSignal | undefined; onWait?: (pid: number) => void } = {},
): Promise<() => Promise<void>> {
  let told = false;
  for (;;) {
    options.signal?.throwIfAborted();
    try {
      await writeFile(path, `${process.pid}\n`, { flag: 'wx' });
      return () => unlink(path).catch(() => undefined);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = Number.parseInt(await readFile(path, 'utf8').catch(() => ''), 10);
    const valid = Number.isSafeInteger(owner) && owner > 0;
    // An empty file is being written by its owner now, unless it was left by a crash long ago.
    const age = Date.now() - ((await stat(path).catch(() => undefined))?.mtimeMs ?? 0);
    if (valid ? !alive(owner) : age > 10_000) {
      await unlink(path).catch(() => undefined);
      continue;
    }
    if (valid && !told) {
      told = true;
      options.onWait?.(owner);
    }
    // An aborted sleep rejects with an AbortError; the caller gets the signal's reason.
    await sleep(1000, undefined, options.signal ? { signal: options.signal } : {}).catch(() =>
      options.signal?.throwIfAborted(),
    );
  }
}
