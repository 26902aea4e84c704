import cliPackage from '../package.json' with { type: 'json' };

/** The version of `ff` (its package.json's, bundled into the binary at build time). */
export const CLI_VERSION: string = cliPackage.version;
