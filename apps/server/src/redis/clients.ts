import type { Redis } from 'ioredis'
import type { Logger } from '../logging/logger'
import { connectRedis } from './connection'
import { createPubSub, type PubSub } from './pubsub'

/** An instance's two links to Redis: a connection in pub/sub mode can run no other command. */
export interface RedisClients {
  readonly commands: Redis
  readonly pubsub: PubSub
  close(): Promise<void>
}

export interface RedisClientsOptions {
  /** Names the connections in `CLIENT LIST` (`<name>:commands`, `<name>:pubsub`). */
  readonly name?: string
  readonly connectTimeoutMs?: number
  readonly logger?: Logger
}

/** Opens both connections, or neither: throws `RedisUnavailableError` when Redis does not answer. */
export async function connectRedisClients(
  url: string,
  options: RedisClientsOptions = {},
): Promise<RedisClients> {
  const { name = 'kit', ...rest } = options
  const [commands, subscriber] = await Promise.allSettled([
    connectRedis(url, { ...rest, name: `${name}:commands`, autoPipelining: true }),
    connectRedis(url, { ...rest, name: `${name}:pubsub` }),
  ])
  if (commands.status === 'rejected' || subscriber.status === 'rejected') {
    for (const r of [commands, subscriber]) if (r.status === 'fulfilled') r.value.disconnect()
    throw commands.status === 'rejected' ? commands.reason : (subscriber as PromiseRejectedResult).reason
  }
  const pubsub = createPubSub(subscriber.value, options.logger)
  return {
    commands: commands.value,
    pubsub,
    async close() {
      await pubsub.close()
      await commands.value.quit().catch(() => commands.value.disconnect())
    },
  }
}
