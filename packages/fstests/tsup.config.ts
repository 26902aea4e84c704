import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts' },
  format: ['esm'],
  // Declarations with declaration maps: tsc emits one .d.ts (+ .d.ts.map) per source file.
  dts: false,
  onSuccess: 'tsc -p tsconfig.build.json',
  sourcemap: true,
  clean: true,
  target: 'node20',
});
