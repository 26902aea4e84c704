// Types of bootstrap.mjs, for the tests that import it.

/** The checkout bootstrap.mjs belongs to. */
export declare const ROOT: string;
/** The stamp file, relative to a root. */
export declare const STAMP: string;
/** `undefined` when the workspace at `root` is built from its current inputs, else why not. */
export declare function buildStaleness(root?: string): string | undefined;
/** Record a successful build of `root` that started at `startedAtMs`. */
export declare function markBuilt(root: string, startedAtMs: number): void;
/** Install when needed and build when stale; exits the process when either fails. */
export declare function ensureReady(options?: { root?: string; quiet?: boolean }): void;
