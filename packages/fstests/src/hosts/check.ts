/** `ff doctor`'s check of one SSH host: reachable, and fstests installed where configured. */
import { shellQuote } from '@ff/parallelrunner';
import type { DoctorCheck } from '../doctor/types.js';
import type { PlannedSupervisor } from '../plan/kinds.js';

const FIX_REACH =
  'check `ssh <host> true` works non-interactively (key, known_hosts, ~/.ssh/config); a busy host may need a longer [custom_vm] timeout (--host-timeout)';

/** One host: start (connect and run `true`), `test -x check`, stop; never longer than ~2x. */
export async function checkHost(host: PlannedSupervisor, timeoutMs: number): Promise<DoctorCheck> {
  const { supervisor, fstestsDir } = host;
  const name = `host ${supervisor.name}`;
  const failed = (detail: string, fix: string): DoctorCheck => ({
    name,
    ok: false,
    required: true,
    detail,
    fix,
  });
  const check = async (): Promise<DoctorCheck> => {
    await supervisor.start({ timeoutMs });
    const r = await supervisor.exec(
      { command: `test -x ${shellQuote(`${fstestsDir}/check`)}` },
      { timeoutMs },
    );
    if (r.timedOut)
      return failed(
        `reachable, but \`test -x\` did not finish within ${timeoutMs / 1000}s`,
        FIX_REACH,
      );
    if (r.exitCode === 0) {
      return { name, ok: true, required: true, detail: `reachable, ${fstestsDir}/check present` };
    }
    return failed(
      `reachable, but ${fstestsDir}/check is missing or not executable`,
      `install fstests at ${fstestsDir} on ${supervisor.name} (make; local.config with TEST_DEV/SCRATCH_DEV)`,
    );
  };
  // Start and exec each end within the timeout; this bounds anything else (a stuck stop).
  const deadline = 2 * timeoutMs + STOP_GRACE_MS;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<DoctorCheck>((resolve) => {
    timer = setTimeout(
      () => resolve(failed(`no answer within ${Math.round(deadline / 1000)}s`, FIX_REACH)),
      deadline,
    );
  });
  try {
    return await Promise.race([
      check().catch((error: unknown) =>
        failed(error instanceof Error ? error.message : String(error), FIX_REACH),
      ),
      late,
    ]);
  } finally {
    clearTimeout(timer);
    await Promise.race([supervisor.stop().catch(() => undefined), delay(STOP_GRACE_MS)]);
  }
}

/** How long a host's stop may take (closing the connection, killing what still runs). */
const STOP_GRACE_MS = 10_000;

const delay = (ms: number) =>
  new Promise<void>((resolve) => {
    setTimeout(resolve, ms).unref();
  });
