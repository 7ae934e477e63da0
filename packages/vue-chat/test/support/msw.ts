import { setupServer } from 'msw/node'

/** One msw server for the whole run; each test adds its handlers with `server.use(...)`. */
export const server = setupServer()
