/**
 * The supervisor kinds `ff` knows, in the order their supervisors are planned (hosts, then
 * QEMU, then mkosi). A new kind adds its line here (or calls `registerSupervisorKind`).
 */
import { hostKind } from '../hosts/kind.js';
import { mkosiKind } from '../mkosi/kind.js';
import { qemuKind } from '../qemu/kind.js';
import type { SupervisorKind } from './kinds.js';

export const BUILTIN_KINDS: readonly SupervisorKind[] = [hostKind, qemuKind, mkosiKind];
