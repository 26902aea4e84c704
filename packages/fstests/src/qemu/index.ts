export * from './errors.js';
export type { Accel, AccelChoice, AccelMode } from './accel.js';
export type { ImageFormat, ScratchDrive } from './drives.js';
export { type ScratchDriveSpec, parseSize } from './layout.js';
export { type QemuLaunchSpec, buildQemuArgs } from './qemu-args.js';
export { QemuVm, type QemuVmOptions, type VmDeath } from './qemu-vm.js';
export { QemuSupervisor, type QemuSupervisorOptions } from './qemu-supervisor.js';
export { type ApplianceInfo, buildAppliance } from './appliance.js';
