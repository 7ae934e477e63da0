import { defineConfig } from 'tsup'

export default defineConfig({
  entry: { index: 'src/index.ts', 'publisher/index': 'src/publisher/index.ts' },
  format: ['esm'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
})
