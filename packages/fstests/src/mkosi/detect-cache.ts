import { type MkosiFeatures, detectMkosi } from './version.js';

const cache = new Map<string, Promise<MkosiFeatures>>();

/**
 * `detectMkosi` once per executable for the whole process (parallel VMs share one
 * `mkosi --version`); a failed detection is not cached.
 */
export function detectMkosiCached(
  mkosiPath: string,
  env: NodeJS.ProcessEnv,
): Promise<MkosiFeatures> {
  const key = `${mkosiPath}\0${env.PATH ?? ''}`;
  let pending = cache.get(key);
  if (!pending) {
    pending = detectMkosi({ mkosiPath, env });
    cache.set(key, pending);
    pending.catch(() => cache.delete(key));
  }
  return pending;
}
