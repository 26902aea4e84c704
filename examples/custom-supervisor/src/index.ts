export { DirSupervisor, type DirSupervisorOptions } from './dir-supervisor.js';
export { CrashOnceSupervisor, CrashTrigger, type CrashOnceOptions } from './crash-once.js';
export { scriptTest, SKIP_EXIT_CODE } from './script-test.js';
export { runDemoSuite, DEMO_SCRIPTS, type DemoOptions, type DemoRun } from './demo-suite.js';
export { verifyDemoSuite } from './verify.js';
