import { createEventStream } from '@kit/sse-client'
import express from 'express'
import { afterEach, describe, expect, it } from 'vitest'
import {
  connectRedisClients,
  createChannelRegistry,
  createRedisBus,
  type ChannelEnd,
  type ChannelRegistry,
} from '../../src/index'
import { deletePrefix, REDIS_URL, testPrefix } from '../scale/support/redis'
import { serveRegistry } from '../support/registry-server'
import { SseReader } from '../support/sse-reader'
import { listen } from './support/listen'

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

type OrderEvents = { status: { state: string }; done: { reason: string }; error: { code: string } }

describe('the channel registry used directly, without the kit router', () => {
  it("streams on the host app's own route, behind its own check, and ends from its own handler", async () => {
    const ended: [string, ChannelEnd][] = []
    const registry = createChannelRegistry({ onCompletion: (key, end) => void ended.push([key, end]) })
    const app = express()
    const mayWatch: express.RequestHandler = (req, res, next) =>
      req.get('x-user') === 'alice' ? next() : void res.status(403).json({ error: 'not your order' })
    app.get('/orders/:id/live', mayWatch, async (req, res) => {
      await registry.connect(`order-${req.params.id}`, res, { lastEventId: req.get('last-event-id') ?? null })
    })
    app.post('/orders/:id/shipped', async (req, res) => {
      const key = `order-${req.params.id}`
      const sent = await registry.send(key, 'status', { state: 'shipped' })
      await registry.complete(key)
      res.json(sent)
    })
    const host = await listen(app)
    cleanups.push(() => registry.close(), host.close)

    expect((await fetch(`${host.url}/orders/9/live`, { headers: { 'x-user': 'bob' } })).status).toBe(403)
    const stream = createEventStream<OrderEvents>(`${host.url}/orders/9/live`, {
      headers: { 'x-user': 'alice' },
    })
    const states: string[] = []
    stream.on('status', (data) => void states.push(data.state))
    await expect.poll(() => registry.stats().connections).toBe(1)
    const shipped = await fetch(`${host.url}/orders/9/shipped`, { method: 'POST' })
    expect(await shipped.json()).toEqual({ id: 1, delivered: 1 })
    const finish = await stream.finished
    expect(finish.reason).toBe('done')
    expect(states).toEqual(['shipped'])
    expect(ended).toEqual([['order-9', { event: 'done', data: { reason: 'complete' } }]])
  })

  it('acts as one across two instances sharing a Redis bus', async () => {
    const prefix = testPrefix()
    const instance = async (): Promise<ChannelRegistry> => {
      const redis = await connectRedisClients(REDIS_URL)
      const bus = createRedisBus({ redis: redis.commands, pubsub: redis.pubsub, prefix })
      const registry = createChannelRegistry({ bus })
      cleanups.push(async () => {
        await registry.close()
        await bus.close()
        await redis.close()
      })
      return registry
    }
    const [a, b] = [await instance(), await instance()]
    cleanups.push(async () => {
      const redis = await connectRedisClients(REDIS_URL)
      await deletePrefix(redis.commands, prefix)
      await redis.close()
    })
    const servedByA = await serveRegistry(a)
    cleanups.push(servedByA.close)

    // The payment callback lands on instance B before the browser reaches instance A.
    expect(await b.send('pay-1', 'status', { state: 'paying' })).toEqual({ id: 1, delivered: 0 })
    const reader = await SseReader.open(`${servedByA.url}/pay-1`)
    await reader.waitForEvents(1)
    await b.send('pay-1', 'status', { state: 'paid' })
    expect(await b.complete('pay-1')).toBe(true)
    await reader.waitForEnd()
    expect(reader.events.map((e) => [e.id, e.event, e.data])).toEqual([
      ['1', 'status', '{"state":"paying"}'],
      ['2', 'status', '{"state":"paid"}'],
      ['3', 'done', '{"reason":"complete"}'],
    ])
    expect(await a.complete('pay-1')).toBe(false)
  })
})
