import { createRedisBus } from '../../src/bus/redis-bus'
import { connectRedisClients } from '../../src/redis/clients'
import { createMemorySessions } from '../../src/storage/memory/sessions'
import { createMemoryStreamState } from '../../src/storage/memory/streams'
import { createRedisSessions } from '../../src/storage/redis/sessions'
import { createRedisStreamState } from '../../src/storage/redis/streams'
import { chatStoresContract } from './chat-stores-contract'
import { deletePrefix, REDIS_URL, testPrefix } from './support/redis'

chatStoresContract('memory', async ({ idleMs }) => {
  const streams = createMemoryStreamState()
  return {
    sessions: createMemorySessions(idleMs === undefined ? {} : { idleMs }),
    streams,
    endChannel: async () => undefined,
    release: async () => streams.close(),
  }
})

chatStoresContract('Redis', async ({ idleMs }) => {
  const clients = await connectRedisClients(REDIS_URL)
  const prefix = testPrefix()
  const redis = clients.commands
  const streams = createRedisStreamState({ redis, pubsub: clients.pubsub, prefix })
  const bus = createRedisBus({ redis, pubsub: clients.pubsub, prefix })
  return {
    sessions: createRedisSessions({ redis, prefix, ...(idleMs === undefined ? {} : { idleMs }) }),
    streams,
    async endChannel(streamId) {
      await bus.publish(streamId, { event: 'done', data: '{"reason":"stop"}', terminal: true })
    },
    async release() {
      streams.close()
      await bus.close()
      await deletePrefix(redis, prefix)
      await clients.close()
    },
  }
})
