import vue from '@vitejs/plugin-vue'
import { defineProject, mergeConfig } from 'vitest/config'
import { sourceConditions } from '../../vitest.shared'

export default mergeConfig(
  sourceConditions,
  defineProject({
    plugins: [vue()],
    test: { environment: 'happy-dom', setupFiles: ['test/setup.ts'] },
  }),
)
