import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as Ssh2 from 'ssh2';
import { SshError } from './errors.js';

/** The ssh2 module, as `loadSsh2` returns it. */
type Ssh2Module = typeof Ssh2;

const here = fileURLToPath(import.meta.url);
const requireHere = createRequire(here);
let loaded: Ssh2Module | undefined;

/**
 * ssh2, loaded on first use (so importing `@ff/parallelrunner/ssh` does not pay its ~100 ms)
 * and safe to call at any time.
 *
 * Why it is not a plain `import('ssh2')`: Node's module resolvers (CommonJS and ESM) resolve
 * paths through a realpath cache, and for a path component already in that cache they consult
 * Node's shared stat buffer, which holds whatever the process's last synchronous or callback
 * `stat`/`lstat` returned, and stop resolving when it says socket or FIFO. After, say,
 * `fs.promises.rm(dir, { recursive: true })` of a directory holding a socket (or a `statSync`
 * of one), a package reached through a symbolic link (pnpm's layout) is loaded from the link's
 * path, where its own dependencies are not found ("Cannot find module 'asn1'"). So the stat
 * buffer is refreshed with a stat of this module's directory and ssh2 is then required
 * synchronously: no fs callback can run in between. (`fs.promises.stat` does not touch the
 * shared buffer.) test/ssh/load-ssh2.test.ts reproduces both.
 *
 * @throws SshError when ssh2 (an optional peer dependency) is not installed.
 */
export function loadSsh2(): Ssh2Module {
  if (loaded) return loaded;
  statSync(dirname(here));
  try {
    loaded = requireHere('ssh2') as Ssh2Module;
  } catch (cause) {
    throw new SshError(
      'cannot load ssh2, which @ff/parallelrunner/ssh needs: install it (npm install ssh2)',
      { cause },
    );
  }
  return loaded;
}
