import { defineConfig } from 'tsup'

export default defineConfig({
  // `main` is the `kit-server` bin: what `pnpm start` runs, on plain Node.
  entry: { index: 'src/index.ts', 'publisher/index': 'src/publisher/index.ts', main: 'src/main.ts' },
  format: ['esm'],
  dts: { entry: { index: 'src/index.ts', 'publisher/index': 'src/publisher/index.ts' } },
  clean: true,
  sourcemap: true,
  target: 'es2022',
})
