import { Redis } from 'ioredis'
import { ConfigError } from '../config/load'
import type { Logger } from '../logging/logger'
import { redactUrl } from './redact-url'

/**
 * Redis could not be reached at start-up: the server must not come up half working. A `ConfigError`, so
 * that `main` prints the message alone and exits.
 */
export class RedisUnavailableError extends ConfigError {}

export interface RedisConnectOptions {
  /** Shown by `CLIENT LIST` and in logs: which part of the server holds the connection. */
  readonly name: string
  /** Longest wait for the first connection, and for each reconnection attempt (default 3 s). */
  readonly connectTimeoutMs?: number
  /** Sends the commands issued in one turn of the event loop as one pipeline (not for pub/sub links). */
  readonly autoPipelining?: boolean
  readonly logger?: Logger
}

// Reconnection waits double from 50 ms up to 2 s: a restarted Redis is found again within seconds.
const reconnectDelay = (attempt: number): number => Math.min(50 * 2 ** Math.min(attempt, 6), 2000)

/**
 * Connects and waits until Redis answers, failing at once with a message naming the URL when it does not.
 * Once connected, a lost connection is re-established for as long as the client lives; commands issued
 * meanwhile fail at once, so that callers see the outage.
 */
export async function connectRedis(url: string, options: RedisConnectOptions): Promise<Redis> {
  const { name, logger, connectTimeoutMs = 3000, autoPipelining = false } = options
  let connected = false
  let lastError: Error | undefined
  const client = new Redis(url, {
    connectionName: name,
    lazyConnect: true,
    enableAutoPipelining: autoPipelining,
    connectTimeout: connectTimeoutMs,
    // Also how long a command in flight when the link drops takes to fail: ioredis holds it until then.
    commandTimeout: 2000,
    // While the link is down a command fails at once and is never sent later, and one in flight when it
    // drops is not sent again: a caller told "failed" can retry without the first attempt landing too.
    enableOfflineQueue: false,
    autoResendUnfulfilledCommands: false,
    autoResubscribe: false,
    // A first attempt that fails ends here: the caller reports it instead of ioredis retrying quietly.
    retryStrategy: (attempt) => (connected ? reconnectDelay(attempt) : null),
  })
  client.on('error', (err: Error) => {
    lastError = err
    if (connected) logger?.warn({ redis: name, err: err.message }, 'redis connection error')
  })
  client.on('ready', () => {
    if (connected) logger?.info({ redis: name }, 'redis connection restored')
  })
  client.on('reconnecting', () => logger?.debug({ redis: name }, 'reconnecting to redis'))
  try {
    await client.connect()
  } catch (err) {
    client.disconnect()
    const reason = lastError?.message ?? (err as Error).message
    throw new RedisUnavailableError(
      `Redis at ${redactUrl(url)} is unreachable (${reason}): start it or fix REDIS_URL`,
      { cause: lastError ?? err },
    )
  }
  connected = true
  return client
}
