import { defineConfig } from 'vitest/config';
import { testProjects } from '../../vitest.shared.js';

export default defineConfig({ test: { projects: testProjects({ serialE2e: true }) } });
