export * from './errors.js';
export {
  MIN_MKOSI_VERSION,
  RECOMMENDED_MKOSI_VERSION,
  detectMkosi,
  mkosiFeatures,
  parseMkosiVersion,
  type DetectMkosiOptions,
  type MkosiFeatures,
  type MkosiVersion,
} from './version.js';
export {
  buildBuildArgs,
  buildVmArgs,
  machineName,
  tcpForwardQemuArgs,
  type BuildArgsInput,
  type MkosiNetwork,
  type VmArgsInput,
} from './command.js';
export { loadSshKey, toSsh2PrivateKey } from './key.js';
export {
  cidFromProxyCommand,
  machineStateDir,
  machineStatePath,
  parseMachineState,
  readMachineState,
  type MachineState,
} from './state-file.js';
export { defaultProxyCommand, hasVhostVsock, type ProxyCommand } from './vsock.js';
export { resolveTransport, type MkosiTransport } from './transport.js';
export { buildMkosiImage, type BuildMkosiImageOptions } from './build.js';
export { MkosiTarget, type MkosiTargetOptions } from './mkosi-target.js';
export { MkosiSupervisor, type MkosiSupervisorOptions } from './mkosi-supervisor.js';
