import { defineProject, mergeConfig } from 'vitest/config'
import { sourceConditions } from '../vitest.shared'

// The tarballs are packed once per run (src/global-setup.ts); each test installs them with npm into a copy
// of a fixture app. npm, tsc and child servers are slow on a loaded 2-core machine: bounds are generous.
export default mergeConfig(
  sourceConditions,
  defineProject({
    test: {
      environment: 'node',
      include: ['test/**/*.test.ts'],
      globalSetup: ['./src/global-setup.ts'],
      testTimeout: 120_000,
      hookTimeout: 600_000,
    },
  }),
)
