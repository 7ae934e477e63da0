import { defineProject } from 'vitest/config'

// One Chromium and one server at a time on a two-core machine: files run one after another, and the
// timeouts leave room for a cold start while the other projects' tests share the CPU.
export default defineProject({
  test: {
    name: 'e2e',
    environment: 'node',
    include: ['test/**/*.test.ts'],
    globalSetup: ['src/global-setup.ts'],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
})
