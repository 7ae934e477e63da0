import { defineConfig } from 'tsup'

export default defineConfig({
  entry: { index: 'src/index.ts', 'fetch-event-source': 'src/fetch-event-source/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
})
