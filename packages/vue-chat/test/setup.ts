import { afterAll, afterEach, beforeAll } from 'vitest'
import { server } from './support/msw'

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterEach(() => {
  server.resetHandlers()
  globalThis.localStorage?.clear()
})
afterAll(() => server.close())
