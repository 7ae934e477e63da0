import { createRedisBus } from '../bus/redis-bus'
import { unavailableWhenDown } from '../bus/redis/unavailable'
import type { Bus } from '../bus/types'
import type { Logger } from '../logging/logger'
import { createRedisLimits } from '../limits/redis'
import { connectRedisClients } from '../redis/clients'
import { createMemorySessions } from '../storage/memory/sessions'
import { createMemoryStreamState } from '../storage/memory/streams'
import { createRedisQuotas } from '../storage/redis/quotas'
import { createRedisSessions } from '../storage/redis/sessions'
import { createRedisStreamState } from '../storage/redis/streams'
import type { ChatStreamState, LimitStore, QuotaCounter, SessionStore } from '../storage/types'
import type { RedisSettings } from './config'

/** What every instance must see alike: the bus, conversation sessions, quota counts, limits and stream state. */
export interface LiveState {
  /** Undefined without Redis: the registry keeps its in-memory bus. */
  readonly bus: Bus | undefined
  readonly sessions: SessionStore
  /** Undefined without Redis: the record stores (PostgreSQL or SQLite) keep them. */
  readonly quotas: QuotaCounter | undefined
  /** Rate and concurrency limits; undefined without Redis (the chat service keeps them in memory). */
  readonly limits: LimitStore | undefined
  readonly streams: ChatStreamState
  close(): Promise<void>
}

export interface LiveStateOptions {
  readonly redis: RedisSettings
  readonly channels: {
    readonly earlySendTtlMs: number
    readonly replay: { readonly maxEvents: number; readonly maxBytes: number; readonly graceMs: number }
  }
  /** Sessions idle this long are forgotten; unset = never. */
  readonly idleMs: number | undefined
  /** An answer's generator vanished: end its channel (called on one instance of the cluster). */
  readonly onGeneratorLost: (streamId: string) => void
  readonly logger: Logger
}

/** In Redis when a URL is set (failing fast when it does not answer), else in this process's memory. */
export async function openLiveState(options: LiveStateOptions): Promise<LiveState> {
  const { redis, channels, idleMs, logger } = options
  const idle = idleMs === undefined ? {} : { idleMs }
  if (!redis.url) {
    const streams = createMemoryStreamState()
    return {
      bus: undefined,
      sessions: createMemorySessions(idle),
      quotas: undefined,
      limits: undefined,
      streams,
      close: async () => streams.close(),
    }
  }
  const clients = await connectRedisClients(redis.url, { logger })
  const { prefix } = redis
  const shared = { redis: clients.commands, prefix }
  const bus = createRedisBus({
    ...shared,
    pubsub: clients.pubsub,
    ...channels.replay,
    earlySendTtlMs: channels.earlySendTtlMs,
    logger,
  })
  const streams = unavailableWhenDown(
    createRedisStreamState({
      ...shared,
      pubsub: clients.pubsub,
      leaseMs: redis.generatorLeaseMs,
      onGeneratorLost: options.onGeneratorLost,
      logger,
    }),
  )
  return {
    bus,
    sessions: unavailableWhenDown(createRedisSessions({ ...shared, ...idle })),
    quotas: unavailableWhenDown(createRedisQuotas(shared)),
    limits: unavailableWhenDown(createRedisLimits(shared)),
    streams,
    async close() {
      streams.close()
      await bus.close()
      await clients.close()
    },
  }
}
