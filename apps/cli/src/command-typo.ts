import { closestMatches } from '@ff/fstests';
import { UsageError } from './exit-codes.js';

/** The subcommands of `ff`, besides running tests. */
export const SUBCOMMANDS = ['compare', 'record', 'doctor', 'demo', 'completion'] as const;

/**
 * The first word of `ff WORD ...` is a test or a subcommand. A test name always has a `/`
 * (`generic/001`, `xfs/*`), so a bare word is a mistyped subcommand (`ff comapre`): say so,
 * with the nearest subcommand, instead of reporting an invalid test name.
 */
export function rejectUnknownCommand(words: readonly (string | number)[] | undefined): void {
  const first = words?.[0];
  if (first === undefined || String(first).includes('/')) return;
  const word = String(first);
  const [nearest] = closestMatches(word, SUBCOMMANDS, { limit: 1 });
  const hint =
    nearest === undefined
      ? `commands: ${SUBCOMMANDS.join(', ')}; tests are named DIR/NAME (generic/001, xfs/*)`
      : `did you mean "ff ${nearest}"?`;
  throw new UsageError(`unknown command "${word}": ${hint}`);
}
