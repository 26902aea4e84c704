const importSsh2 = () => import('ssh2');

/** The ssh2 module namespace, as a dynamic import yields it (CommonJS: under `default`). */
export type Ssh2Module = Awaited<ReturnType<typeof importSsh2>>;

let loading: Promise<Ssh2Module> | undefined;

/**
 * ssh2, imported once, on first use: importing `@ff/parallelrunner/ssh` does not pay ssh2's
 * ~70 ms. `SshSupervisor`'s constructor starts it, so it is resolved before any VM runs: once
 * an fs call has stat'ed a socket (removing a dead VM's directory with its QMP socket does),
 * Node's module resolver can return an unresolved symlink path, and under pnpm's layout ssh2's
 * own requires then fail.
 */
export function loadSsh2(): Promise<Ssh2Module> {
  loading ??= importSsh2();
  return loading;
}
