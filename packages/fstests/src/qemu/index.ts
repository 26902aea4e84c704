export * from './errors.js';
export {
  type Accel,
  type AccelChoice,
  type AccelMode,
  type DetectAccelOptions,
  clearAccelCache,
  defaultKernel,
  detectAccel,
} from './accel.js';
export { type PortReservation, reservePort } from './ports.js';
export { type ConsoleCrash, ConsoleWatcher, type ConsoleWatcherOptions } from './console.js';
export { type ImageFormat, type ScratchDrive, imageFormat } from './drives.js';
export {
  type GuestDisk,
  type ScratchDriveSpec,
  ROOT_SERIAL,
  guestDisks,
  parseSize,
  virtioDiskName,
} from './layout.js';
export { type QemuLaunchSpec, buildQemuArgs, defaultAppend } from './qemu-args.js';
export { qmpExecute, type QmpOptions } from './qmp.js';
export { QemuVm, type QemuVmOptions, type VmDeath } from './qemu-vm.js';
export { QemuSupervisor, type QemuSupervisorOptions } from './qemu-supervisor.js';
export { type ApplianceInfo, applianceScript, buildAppliance } from './appliance.js';
