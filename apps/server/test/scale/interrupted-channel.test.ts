import { randomUUID } from 'node:crypto'
import { afterEach, expect, it } from 'vitest'
import { createRedisBus } from '../../src/bus/redis-bus'
import { createChannelRegistry } from '../../src/channels/registry'
import type { ChannelEnd } from '../../src/channels/types'
import { connectRedisClients } from '../../src/redis/clients'
import { serveRegistry } from '../support/registry-server'
import { SseReader } from '../support/sse-reader'
import { waitFor } from '../support/wait'
import { cutPubSub, deletePrefix, REDIS_URL, testPrefix } from './support/redis'

const cleanups: (() => Promise<void> | void)[] = []

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

it('closes the subscribers of a channel whose events may be lost, and keeps its producer', async () => {
  const name = `kit-test-${randomUUID().slice(0, 8)}`
  const prefix = testPrefix()
  const clients = await connectRedisClients(REDIS_URL, { name })
  const bus = createRedisBus({ redis: clients.commands, pubsub: clients.pubsub, prefix })
  const registry = createChannelRegistry({ bus })
  cleanups.push(async () => {
    await registry.close()
    await bus.close()
    await deletePrefix(clients.commands, prefix)
    await clients.close()
  })
  const served = await serveRegistry(registry)
  cleanups.push(served.close)

  const ends: ChannelEnd[] = []
  await registry.open('answer-1', { onCompletion: (_key, end) => ends.push(end) })
  const first = await SseReader.open(`${served.url}/answer-1`)
  cleanups.push(() => first.close())
  await registry.send('answer-1', 'message', 'one')
  await first.waitForEvents(1)

  await cutPubSub(clients.commands, name)
  // Closed without a terminal event, so that an EventSource reconnects with Last-Event-ID.
  await first.waitForEnd()
  expect(first.events.map((e) => [e.id, e.event])).toEqual([['1', 'message']])
  expect(registry.stats()).toMatchObject({ connections: 0, channels: 1 })

  const resumed = await SseReader.open(`${served.url}/answer-1`, { 'last-event-id': '1' })
  cleanups.push(() => resumed.close())
  await waitFor('the resumed subscriber', () => registry.stats().connections === 1)
  expect(await registry.complete('answer-1')).toBe(true)
  await resumed.waitForEnd(5000)
  expect(resumed.events.map((e) => [e.id, e.event])).toEqual([['2', 'done']])
  await waitFor('the producer’s onCompletion', () => ends.length > 0)
  expect(ends).toEqual([{ event: 'done', data: { reason: 'complete' } }])
  expect(registry.stats().channels).toBe(0)
})
