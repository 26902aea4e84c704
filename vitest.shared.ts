/**
 * The test projects every package's vitest.config.ts uses: `unit` (every `*.test.ts` but the
 * end-to-end ones, files in parallel) and `e2e` (`*.e2e.test.ts`: real sshd, real QEMU),
 * which runs after `unit`. `pnpm test` runs both; `pnpm test:unit` only `unit`.
 */
import type { TestProjectInlineConfiguration } from 'vitest/config';

/** Options of `testProjects`. */
export interface TestProjectsOptions {
  /**
   * Run the end-to-end files one at a time. On a 2-core machine, QEMU files running in
   * parallel starve each other's VMs into timeouts. Default false.
   */
  readonly serialE2e?: boolean;
}

const timeouts = { testTimeout: 30_000, hookTimeout: 30_000 };

export function testProjects(options: TestProjectsOptions = {}): TestProjectInlineConfiguration[] {
  return [
    {
      test: {
        ...timeouts,
        name: 'unit',
        include: ['test/**/*.test.ts'],
        exclude: ['test/**/*.e2e.test.ts'],
      },
    },
    {
      test: {
        ...timeouts,
        name: 'e2e',
        include: ['test/**/*.e2e.test.ts'],
        // One file at a time: projects cannot limit their workers, but one fork runs files in turn.
        ...(options.serialE2e ? { poolOptions: { forks: { singleFork: true } } } : {}),
        sequence: { groupOrder: 1 },
      },
    },
  ];
}
