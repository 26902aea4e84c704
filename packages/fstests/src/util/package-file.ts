import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The path of `relative` (e.g. `appliance/build.sh`) in this package, or undefined. Sources
 * (src/qemu/*.ts) and the bundle (dist/index.js) sit at different depths below the package root.
 */
export function packageFile(relative: string): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 4; depth++) {
    const candidate = join(dir, relative);
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  return undefined;
}
