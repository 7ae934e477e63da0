import { defineConfig } from 'vitest/config'

// Two cores: keep one worker per core so real-server tests are not starved of CPU.
export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/*', 'examples/*', 'e2e', 'consumer'],
    maxWorkers: 2,
  },
})
