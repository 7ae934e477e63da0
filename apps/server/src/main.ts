#!/usr/bin/env node
// The `kit-server` bin and `pnpm --filter @kit/server start`: configuration from the environment and
// $KIT_CONFIG, then listen. SIGTERM and SIGINT close gracefully: answers end with `done aborted`, channels
// with `done`, and the port is free before the process exits.
import { ConfigError, loadConfig } from './config/load'
import { startServer } from './server'

// A program of its own keeps history in a file, as it always has; embedded, the kit defaults to memory.
const PROGRAM_DEFAULTS = { chat: { storage: { path: 'data/kit.db' } } }

try {
  const running = await startServer(loadConfig({ defaults: PROGRAM_DEFAULTS }))
  const stop = (signal: NodeJS.Signals): void => {
    running.logger.info({ signal }, 'shutting down')
    void running.close().then(() => process.exit(0))
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
} catch (err) {
  if (!(err instanceof ConfigError)) throw err
  console.error(err.message)
  process.exit(1)
}
