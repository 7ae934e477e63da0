import vue from '@vitejs/plugin-vue'
import { defineConfig, mergeConfig } from 'vite'
import { sourceConditions } from '../../vitest.shared'

// Library build, ESM only. Vue, pinia, markdown-it, highlight.js and the kit's own packages stay imports
// for the application's bundler to resolve once; they resolve to sources here only so that the build
// does not need theirs first.
const external = /^(?:vue|pinia|markdown-it|highlight\.js)(?:\/|$)|^@kit\//

export default mergeConfig(
  sourceConditions,
  defineConfig({
    plugins: [vue()],
    build: {
      target: 'es2022',
      sourcemap: true,
      cssCodeSplit: true,
      lib: {
        entry: {
          index: 'src/index.ts',
          markdown: 'src/markdown/index.ts',
          highlight: 'src/highlight/index.ts',
          'i18n/zh-CN': 'src/i18n/zh-CN.ts',
          style: 'src/styles/index.css',
        },
        formats: ['es'],
      },
      rollupOptions: { external: [external] },
    },
  }),
)
