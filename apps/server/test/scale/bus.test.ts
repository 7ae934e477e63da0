import { createMemoryBus } from '../../src/bus/memory-bus'
import { createRedisBus } from '../../src/bus/redis-bus'
import { connectRedisClients } from '../../src/redis/clients'
import { busContract } from './bus-contract'
import { deletePrefix, REDIS_URL, testPrefix } from './support/redis'

busContract('memory bus', async (limits) => ({ bus: createMemoryBus(limits), release: async () => {} }))

busContract('redis bus', async (limits) => {
  const clients = await connectRedisClients(REDIS_URL)
  const prefix = testPrefix()
  return {
    bus: createRedisBus({ redis: clients.commands, pubsub: clients.pubsub, prefix, ...limits }),
    async release() {
      await deletePrefix(clients.commands, prefix)
      await clients.close()
    },
  }
})
