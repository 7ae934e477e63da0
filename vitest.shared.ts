import { defaultClientConditions, defaultServerConditions } from 'vite'

/**
 * Workspace packages resolve to their TypeScript sources through the `@kit/source` export
 * condition, so tests and the dev server never need a build step first.
 */
export const sourceConditions = {
  resolve: { conditions: ['@kit/source', ...defaultClientConditions] },
  ssr: { resolve: { conditions: ['@kit/source', ...defaultServerConditions] } },
}
