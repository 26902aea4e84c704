#!/usr/bin/env node
// API reports with @microsoft/api-extractor, one per public entry point, checked in under
// packages/<pkg>/api/. `node scripts/api-report.mjs` (pnpm api:check) fails when a report is
// stale, i.e. the public API changed without the report being refreshed; `--update`
// (pnpm api:update) rewrites them. Also lists exported API items without a TSDoc comment.
// Runs on the built declarations (dist/**/*.d.ts): build first.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Extractor, ExtractorConfig } from '@microsoft/api-extractor';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const update = process.argv.includes('--update');

/** Entry points: package directory, built declaration entry, report name. */
const ENTRIES = [
  ['packages/parallelrunner', 'dist/index.d.ts', 'parallelrunner'],
  ['packages/parallelrunner', 'dist/ssh/index.d.ts', 'parallelrunner-ssh'],
  ['packages/parallelrunner', 'dist/testing/index.d.ts', 'parallelrunner-testing'],
  ['packages/fstests', 'dist/index.d.ts', 'fstests'],
];

/** Names an entry point exports, from its doc model. */
function exportedNames(modelFile) {
  const model = JSON.parse(readFileSync(modelFile, 'utf8'));
  return (model.members ?? []).flatMap((entryPoint) => entryPoint.members ?? []).map((m) => m.name);
}

/** Exported symbols (top-level API items) without a doc comment, from the doc model. */
function undocumented(modelFile) {
  const model = JSON.parse(readFileSync(modelFile, 'utf8'));
  return (model.members ?? [])
    .flatMap((entryPoint) => entryPoint.members ?? [])
    .filter((item) => typeof item.docComment !== 'string' || item.docComment.trim() === '')
    .map((item) => `${item.kind} ${item.name}`);
}

const temp = mkdtempSync(join(tmpdir(), 'ff-api-'));
/** Per package, the names its root entry point exports (the root comes first in ENTRIES). */
const rootExports = new Map();
let failed = false;
try {
  for (const [pkg, entry, report] of ENTRIES) {
    const projectFolder = join(root, pkg);
    const modelFile = join(temp, `${report}.api.json`);
    mkdirSync(join(projectFolder, 'api'), { recursive: true });
    const config = ExtractorConfig.prepare({
      configObject: {
        projectFolder,
        mainEntryPointFilePath: join(projectFolder, entry),
        compiler: {
          overrideTsconfig: {
            compilerOptions: {
              target: 'ES2022',
              lib: ['ES2023', 'ESNext.Disposable'],
              module: 'NodeNext',
              moduleResolution: 'NodeNext',
              strict: true,
              types: ['node'],
              skipLibCheck: true,
            },
            files: [join(projectFolder, entry)],
          },
        },
        apiReport: {
          enabled: true,
          reportFileName: report,
          reportFolder: join(projectFolder, 'api'),
          reportTempFolder: temp,
        },
        docModel: { enabled: true, apiJsonFilePath: modelFile },
        dtsRollup: { enabled: false },
        tsdocMetadata: { enabled: false },
        messages: {
          compilerMessageReporting: { default: { logLevel: 'warning' } },
          extractorMessageReporting: {
            default: { logLevel: 'warning', addToApiReportFile: true },
            'ae-missing-release-tag': { logLevel: 'none', addToApiReportFile: false },
            // A type that an exported signature uses but the entry point does not export: the
            // user can see it but not name it. Export it, or keep it out of the signature.
            'ae-forgotten-export': { logLevel: 'error', addToApiReportFile: false },
            // Its notes carry source line numbers, which churn on every edit; the report marks
            // undocumented members with "(undocumented)" instead.
            'ae-undocumented': { logLevel: 'none', addToApiReportFile: false },
          },
          tsdocMessageReporting: { default: { logLevel: 'none', addToApiReportFile: false } },
        },
      },
      configObjectFullPath: join(projectFolder, 'api-extractor.json'),
      packageJsonFullPath: join(projectFolder, 'package.json'),
    });
    const result = Extractor.invoke(config, {
      localBuild: update,
      showVerboseMessages: false,
      messageCallback: (message) => {
        // api-extractor reports its own version and TypeScript version on every run.
        if (message.messageId === 'console-compiler-version-notice') message.handled = true;
        // A subpath entry point (./ssh) uses the root's types (BaseSupervisor, ExecResult) from
        // the same package, which api-extractor cannot tell from its own: those are exported.
        const symbol = /^The symbol "([^"]+)"/.exec(message.text)?.[1];
        if (
          message.messageId === 'ae-forgotten-export' &&
          symbol !== undefined &&
          rootExports.get(pkg)?.has(symbol)
        ) {
          message.logLevel = 'none';
        }
      },
    });
    if (entry === 'dist/index.d.ts') rootExports.set(pkg, new Set(exportedNames(modelFile)));
    const docs = undocumented(modelFile);
    const where = `${pkg}/api/${report}.api.md`;
    if (result.errorCount > 0) {
      failed = true;
      console.error(`api: ${where}: ${result.errorCount} error(s)`);
    } else if (result.apiReportChanged && !update) {
      failed = true;
      console.error(`api: ${where} is stale: the public API changed. Run \`pnpm api:update\`.`);
      const diff = spawnSync('diff', ['-u', join(root, where), join(temp, `${report}.api.md`)], {
        encoding: 'utf8',
      });
      console.error(diff.stdout.split('\n').slice(0, 80).join('\n'));
    } else {
      console.log(`api: ${where} ${update && result.apiReportChanged ? 'updated' : 'up to date'}`);
    }
    if (docs.length > 0) {
      console.log(`api: ${report}: ${docs.length} exported item(s) without TSDoc:`);
      for (const d of docs) console.log(`  ${d}`);
    }
  }
} finally {
  rmSync(temp, { recursive: true, force: true });
}
process.exitCode = failed ? 1 : 0;
