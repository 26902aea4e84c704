import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // These tests boot QEMU VMs and run real processes; on a 2-core CI machine, files running in
    // parallel starve each other's VMs into timeouts. One file at a time is faster overall.
    fileParallelism: false,
  },
});
