import vue from '@vitejs/plugin-vue'
import { defineConfig, mergeConfig } from 'vite'
import { sourceConditions } from '../vitest.shared.ts'

// `pnpm dev` runs the kit's server next to Vite; the browser talks to Vite only, which forwards /api.
const serverUrl = process.env.KIT_SERVER_URL ?? 'http://localhost:3000'

export default mergeConfig(
  sourceConditions,
  defineConfig({
    plugins: [vue()],
    server: { proxy: { '/api': { target: serverUrl, changeOrigin: true } } },
    build: { target: 'es2022' },
  }),
)
