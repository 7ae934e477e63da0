import { afterEach, describe, expect, it } from 'vitest'
import { createRedisBus } from '../../src/bus/redis-bus'
import type { Bus } from '../../src/bus/types'
import { connectRedisClients, type RedisClients } from '../../src/redis/clients'
import { createRedisStreamState, type RedisChatStreamState } from '../../src/storage/redis/streams'
import type { StreamRecord } from '../../src/storage/types'
import { sleep, waitFor } from '../support/wait'
import { deletePrefix, REDIS_URL, testPrefix } from './support/redis'

const prefix = testPrefix()
const opened: { clients: RedisClients; streams: RedisChatStreamState; bus: Bus }[] = []
const LEASE_MS = 300

/** One instance's stream state; `lost` collects the answers it found without a generator. */
async function instance() {
  const clients = await connectRedisClients(REDIS_URL)
  const lost: [string, StreamRecord][] = []
  const bus = createRedisBus({ redis: clients.commands, pubsub: clients.pubsub, prefix })
  const streams = createRedisStreamState({
    redis: clients.commands,
    pubsub: clients.pubsub,
    prefix,
    leaseMs: LEASE_MS,
    onGeneratorLost: (streamId, record) => lost.push([streamId, record]),
  })
  opened.push({ clients, streams, bus })
  return { streams, lost, bus }
}

afterEach(async () => {
  const admin = opened[0]?.clients.commands
  if (admin) await deletePrefix(admin, prefix)
  for (const { clients, streams, bus } of opened.splice(0)) {
    streams.close()
    await bus.close()
    await clients.close()
  }
})

const owner = { userId: 'u1', instanceId: 'A', conversationId: 'c1', messageId: 'm1' }

describe('chat stream state across instances', () => {
  it('never declares a generator lost while it renews its lease, nor once it ended its answer', async () => {
    const [a, b] = [await instance(), await instance()]
    await a.streams.begin('s1', owner)
    await b.streams.watch('s1')
    await sleep(LEASE_MS * 4)
    expect(b.lost).toEqual([])
    expect(await b.streams.get('s1')).toEqual({ ...owner, ended: false })
    await a.bus.publish('s1', { event: 'done', data: '{"reason":"stop"}', terminal: true })
    await a.streams.end('s1', 1000)
    await sleep(LEASE_MS * 2)
    expect(b.lost).toEqual([])
  })

  it('ends an answer whose generator vanished, reported by exactly one watching instance', async () => {
    const [a, b, c] = [await instance(), await instance(), await instance()]
    await a.streams.begin('s2', owner)
    await b.streams.watch('s2')
    await c.streams.watch('s2')
    a.streams.close()
    await waitFor('the loss', () => b.lost.length + c.lost.length > 0, LEASE_MS * 5)
    await sleep(LEASE_MS * 2)
    expect([...b.lost, ...c.lost]).toEqual([['s2', { ...owner, ended: true }]])
    expect(await c.streams.get('s2')).toEqual({ ...owner, ended: true })
  })

  it('declares lost a generator that stopped without ending its answer’s channel', async () => {
    const [a, b] = [await instance(), await instance()]
    await a.streams.begin('s4', owner)
    await a.bus.publish('s4', { event: 'message', data: '{}', terminal: false })
    await b.streams.watch('s4')
    await a.streams.end('s4', 1000)
    await waitFor('the loss', () => b.lost.length > 0, LEASE_MS * 5)
    expect(b.lost).toEqual([['s4', { ...owner, ended: true }]])
  })

  it('carries a stop request from any instance to the generating one', async () => {
    const [a, b] = [await instance(), await instance()]
    await a.streams.begin('s3', owner)
    const controls: string[] = []
    const stop = await a.streams.listen('s3', (control) => controls.push(control))
    await b.streams.watch('s3')
    await b.streams.requestStop('s3')
    await b.streams.unwatch('s3')
    await waitFor('three controls', () => controls.length === 3)
    expect(controls).toEqual(['watched', 'stop', 'unwatched'])
    await stop()
  })
})
