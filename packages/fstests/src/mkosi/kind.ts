/** The `mkosi` supervisor kind: `[mkosi] num` VMs of an mkosi image, built once beforehand. */
import { join, resolve } from 'node:path';
import type { Config } from '../config/schema.js';
import type { KindPlanContext, PlannedSupervisor, SupervisorKind } from '../plan/kinds.js';
import { requiredKey } from '../plan/required.js';
import { buildMkosiImage } from './build.js';
import { MkosiSupervisor } from './mkosi-supervisor.js';

function configDirOf(config: Config, baseDir: string): string {
  const dir = requiredKey(config.mkosi.config, 'mkosi.config', 'the mkosi configuration directory');
  return resolve(baseDir, dir);
}

function mkosiSupervisors(config: Config, context: KindPlanContext): PlannedSupervisor[] {
  const m = config.mkosi;
  if (m.num <= 0) return [];
  const configDir = configDirOf(config, context.baseDir);
  const startTimeoutMs = m.timeout * 1000;
  const out: PlannedSupervisor[] = [];
  for (let i = 1; i <= m.num; i++) {
    const name = `mkosi-${i}`;
    const supervisor = new MkosiSupervisor({
      name,
      index: i,
      configDir,
      options: m.options,
      include: m.include,
      consoleLogPath: join(context.consoleDir, `${name}.log`),
      timeoutMs: startTimeoutMs,
    });
    out.push({ supervisor, fstestsDir: m.fstests, startTimeoutMs });
  }
  return out;
}

export const mkosiKind: SupervisorKind = {
  name: 'mkosi',
  enabledBy: { key: '[mkosi] num', flag: '-n' },
  configured: (config) => config.mkosi.num > 0,
  plan: mkosiSupervisors,
  // Build the image once before VMs spawn, when `[mkosi] build` (or `-f`) asks for it.
  prepare: async (config, context) => {
    const m = config.mkosi;
    if (m.num === 0 || !m.build) return;
    await buildMkosiImage({
      configDir: configDirOf(config, context.baseDir),
      options: m.options,
      include: m.include,
      force: context.force ?? 1,
      ...(context.logDir === undefined ? {} : { logPath: join(context.logDir, 'mkosi-build.log') }),
      ...(context.signal === undefined ? {} : { signal: context.signal }),
    });
  },
};
