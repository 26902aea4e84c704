export * from './errors.js';
export type { MkosiTransport } from './transport.js';
export type { ProxyCommand } from './vsock.js';
export { buildMkosiImage, type BuildMkosiImageOptions } from './build.js';
export { MkosiTarget, type MkosiTargetOptions } from './mkosi-target.js';
export { MkosiSupervisor, type MkosiSupervisorOptions } from './mkosi-supervisor.js';
