/**
 * Named errors of the image builder (`buildImage`, `ff image build`): `ParallelRunnerError`s
 * with a stable `code`; a bad option is a `usage` error, the rest `runtime`. A failed build step
 * names the step and the log it left.
 */
import { ParallelRunnerError } from '@ff/parallelrunner';

/** Stable error codes of the image builder. */
export type ImageErrorCode = 'ERR_IMAGE_OPTION' | 'ERR_IMAGE_TOOL' | 'ERR_IMAGE_STEP';

/** An option is invalid: a missing fstests tree, an unreadable kernel, no modules for it. */
export class ImageOptionError extends ParallelRunnerError {
  constructor(
    /** The option, e.g. `fstests` or `kernel`. */
    readonly option: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super('ERR_IMAGE_OPTION', `${option}: ${message}`, { ...options, category: 'usage' });
  }
}

/** A program the build needs is not installed. */
export class ImageToolMissingError extends ParallelRunnerError {
  constructor(
    /** The program, e.g. `mmdebstrap`. */
    readonly tool: string,
    /** The Debian package that has it. */
    readonly debianPackage: string,
    /** What the build needs it for. */
    readonly purpose: string,
  ) {
    super(
      'ERR_IMAGE_TOOL',
      `cannot run ${tool} (${purpose}): install it (Debian: apt-get install ${debianPackage})`,
    );
  }
}

/** A build step failed; its whole output is in `logPath`, the last lines in the message. */
export class ImageStepError extends ParallelRunnerError {
  constructor(
    /** The step that failed, e.g. `fstests-build`. */
    readonly step: string,
    /** How it ended, e.g. `exit status 2`. */
    readonly how: string,
    /** The build log, kept after the failure. */
    readonly logPath: string,
    /** The last lines of the step's output. */
    readonly outputTail: string,
  ) {
    const tail = outputTail.trimEnd();
    super(
      'ERR_IMAGE_STEP',
      `image build step "${step}" failed (${how}); full log: ${logPath}${tail ? `\n--- output (tail) ---\n${tail}` : ''}`,
    );
  }
}
