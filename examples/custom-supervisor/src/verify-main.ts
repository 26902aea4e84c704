import { verifyDemoSuite } from './verify.js';

// Runs the demo suite and checks its outcome; exits non-zero when a check fails.
try {
  const lines = await verifyDemoSuite({ signal: AbortSignal.timeout(60_000) });
  for (const line of lines) process.stdout.write(`${line}\n`);
  process.stdout.write('custom supervisor: every check held\n');
} catch (error) {
  process.stderr.write(`custom supervisor: check failed: ${String(error)}\n`);
  process.exitCode = 1;
}
