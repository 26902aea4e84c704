import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { access, readFile, readdir } from 'node:fs/promises';
import { detectAccel } from '../qemu/accel.js';
import type { DoctorProbes, ProbeRun } from './types.js';

const MODES = {
  read: constants.R_OK,
  'read-write': constants.R_OK | constants.W_OK,
  execute: constants.X_OK,
} as const;

/** The probes `runDoctor` uses unless told otherwise: the real system. */
export const systemProbes: DoctorProbes = {
  run(file, args, signal) {
    return new Promise<ProbeRun>((resolve) => {
      execFile(
        file,
        [...args],
        { timeout: 15_000, killSignal: 'SIGKILL', ...(signal ? { signal } : {}) },
        (error, stdout, stderr) => {
          const output = `${stdout}${stderr}`;
          if (!error) return resolve({ status: 'ok', output });
          const code = (error as NodeJS.ErrnoException).code;
          const notFound = code === 'ENOENT' || code === 'EACCES';
          resolve({ status: notFound ? 'not-found' : 'failed', output: output || error.message });
        },
      );
    });
  },
  async access(path, mode) {
    try {
      await access(path, MODES[mode]);
      return true;
    } catch {
      return false;
    }
  },
  async nonEmptyDir(path) {
    try {
      return (await readdir(path)).length > 0;
    } catch {
      return false;
    }
  },
  async readText(path) {
    try {
      return await readFile(path, 'utf8');
    } catch {
      return undefined;
    }
  },
  detectAccel(mode, signal) {
    return detectAccel(mode, signal ? { signal } : {});
  },
};
