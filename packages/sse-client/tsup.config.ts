import { defineConfig } from 'tsup'

export default defineConfig({
  entry: { index: 'src/index.ts', 'fetch-event-source': 'src/fetch-event-source/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
  // The retry helpers of @kit/protocol are inlined from its sources: the client keeps no runtime dependency
  // and the build does not need the protocol's first.
  noExternal: ['@kit/protocol'],
  esbuildOptions: (options) => {
    options.conditions = ['@kit/source']
  },
})
