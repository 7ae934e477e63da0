#!/usr/bin/env node
// `pnpm --filter @kit/server start`: configuration from the environment and $KIT_CONFIG, then listen.
import { ConfigError, loadConfig } from './config/load'
import { startServer } from './server'

try {
  const running = await startServer(loadConfig())
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
