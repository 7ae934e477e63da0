import { randomUUID } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { createRedisBus, type RedisBusOptions } from '../../src/bus/redis-bus'
import type { Bus, BusEvent } from '../../src/bus/types'
import { connectRedisClients, type RedisClients } from '../../src/redis/clients'
import { sleep, waitFor } from '../support/wait'
import { cutPubSub, deletePrefix, REDIS_URL, testPrefix } from './support/redis'

interface Instance {
  readonly name: string
  readonly clients: RedisClients
  readonly bus: Bus
  /** The keys of this instance's `listen`ers, once per interruption. */
  readonly interrupted: string[]
}

const prefix = testPrefix()
const instances: Instance[] = []

/** One server instance's view of Redis: its own two connections and bus, sharing the test's prefix. */
async function instance(options: Partial<RedisBusOptions> = {}): Promise<Instance> {
  const name = `kit-test-${randomUUID().slice(0, 8)}`
  const clients = await connectRedisClients(REDIS_URL, { name })
  const bus = createRedisBus({ redis: clients.commands, pubsub: clients.pubsub, prefix, ...options })
  const made = { name, clients, bus, interrupted: [] }
  instances.push(made)
  return made
}

const listen = async ({ bus, interrupted }: Instance, key: string) => {
  const seen: BusEvent[] = []
  await bus.subscribe(
    key,
    (e) => seen.push(e),
    () => interrupted.push(key),
  )
  return seen
}

const send = (bus: Bus, key: string, n: number) =>
  bus.publish(key, { event: 'message', data: String(n), terminal: false })

afterEach(async () => {
  const admin = instances[0]?.clients.commands
  if (admin) await deletePrefix(admin, prefix)
  for (const made of instances.splice(0)) {
    await made.bus.close()
    await made.clients.close()
  }
})

describe('redis bus across instances', () => {
  it('delivers a publish on one instance to the listeners of every instance, with shared ids and end', async () => {
    const [a, b, c] = [await instance(), await instance(), await instance()]
    const onA = await listen(a, 'pay-1')
    const onC = await listen(c, 'pay-1')
    expect(await send(b.bus, 'pay-1', 1)).toEqual({ ok: true, id: 1, delivered: 2 })
    expect(await send(a.bus, 'pay-1', 2)).toMatchObject({ id: 2 })
    expect(await b.bus.publish('pay-1', { event: 'done', data: '{}', terminal: true })).toMatchObject({
      id: 3,
    })
    expect(await send(c.bus, 'pay-1', 4)).toEqual({ ok: false, reason: 'ended' })
    await waitFor('three events on A and C', () => onA.length === 3 && onC.length === 3)
    expect(onA.map((e) => e.id)).toEqual([1, 2, 3])
    expect(onC).toEqual(onA)
  })

  it('fills in, once and in order, what pub/sub missed while an instance’s link was down', async () => {
    const [a, b] = [await instance(), await instance()]
    const onA = await listen(a, 'k')
    for (let n = 1; n <= 3; n++) await send(b.bus, 'k', n)
    await waitFor('three events', () => onA.length === 3)
    await cutPubSub(b.clients.commands, a.name)
    for (let n = 4; n <= 40; n++) await send(b.bus, 'k', n)
    await waitFor('forty events', () => onA.length === 40, 5000)
    expect(onA.map((e) => Number(e.data))).toEqual(Array.from({ length: 40 }, (_, i) => i + 1))
    expect(a.interrupted).toEqual(['k'])
    await send(b.bus, 'k', 41)
    await waitFor('the 41st event', () => onA.length === 41)
  })

  it('reports the key again when the log no longer holds what was missed', async () => {
    const [a, b] = [await instance({ maxEvents: 5 }), await instance({ maxEvents: 5 })]
    const onA = await listen(a, 'k')
    await send(b.bus, 'k', 1)
    await waitFor('the first event', () => onA.length === 1)
    await cutPubSub(b.clients.commands, a.name)
    for (let n = 2; n <= 20; n++) await send(b.bus, 'k', n)
    await waitFor('a second report', () => a.interrupted.length === 2, 5000)
    expect(a.interrupted).toEqual(['k', 'k'])
    // Nothing after the gap was passed off as continuous: listeners resume from the log instead.
    expect(onA.map((e) => e.id)).toEqual([1])
    await send(b.bus, 'k', 21)
    await waitFor('the next live event', () => onA.length === 2)
    expect(onA[1]?.id).toBe(21)
  })

  it('counts in delivered the instances that listen, not subscribers, and in stats its own channels only', async () => {
    const limits = { earlySendTtlMs: 300 }
    const [a, b, c] = [await instance(limits), await instance(limits), await instance(limits)]
    // A producer's channel with no subscriber takes nothing, yet its instance counts.
    await a.bus.subscribe('k', () => 0)
    await b.bus.subscribe('k', () => 3)
    expect(await send(c.bus, 'k', 1)).toEqual({ ok: true, id: 1, delivered: 2 })
    await waitFor('a renewal on A', () => a.bus.stats().channels === 1)
    expect(a.bus.stats()).toEqual({ channels: 1, bufferedEvents: 1, bufferedBytes: 8 })
    await send(c.bus, 'early', 1)
    expect(c.bus.stats()).toEqual({ channels: 0, bufferedEvents: 0, bufferedBytes: 0 })
  })

  it('keeps a listened-to channel alive past its idle ttl, and lets it expire once nobody listens', async () => {
    const [a, b] = [await instance({ earlySendTtlMs: 300 }), await instance({ earlySendTtlMs: 300 })]
    const sub = await a.bus.subscribe('k', () => 1)
    await send(b.bus, 'k', 1)
    await sleep(900)
    expect(await b.bus.state('k')).toMatchObject({ lastId: 1 })
    expect(a.bus.stats()).toEqual({ channels: 1, bufferedEvents: 1, bufferedBytes: 8 })
    await sub.unsubscribe()
    expect(a.bus.stats().channels).toBe(0)
    await sleep(700)
    expect(await b.bus.state('k')).toBeNull()
  })
})
