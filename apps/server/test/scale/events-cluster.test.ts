import type { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SseReader } from '../support/sse-reader'
import { startCluster, PUBLISH_SECRET, type Cluster, type Instance } from './support/cluster'
import { connectTestRedis, deletePrefix, keysUnder, testPrefix } from './support/redis'

const prefix = testPrefix()
let cluster: Cluster
let redis: Redis
let A: Instance, B: Instance, C: Instance
const readers: SseReader[] = []

const open = async (url: string, headers: Record<string, string> = {}) => {
  const reader = await SseReader.open(url, headers)
  readers.push(reader)
  return reader
}

beforeAll(async () => {
  redis = await connectTestRedis()
  cluster = await startCluster(3, { prefix })
  ;[A, B, C] = cluster.instances as [Instance, Instance, Instance]
}, 60_000)

afterAll(async () => {
  for (const reader of readers) reader.close()
  await cluster?.close()
  await deletePrefix(redis, prefix)
  await redis.quit()
})

describe('keyed channels across three server processes on one Redis', () => {
  it('delivers a publish via B to subscribers on A and C', async () => {
    const [onA, onC] = [await open(A.eventsUrl('pay-1')), await open(C.eventsUrl('pay-1'))]
    expect(await B.publish('pay-1', { state: 'paying' }, 'status')).toEqual({ id: 1, delivered: 2 })
    const expected = [{ id: '1', event: 'status', data: '{"state":"paying"}' }]
    expect(await onA.waitForEvents(1)).toEqual(expected)
    expect(await onC.waitForEvents(1)).toEqual(expected)
  })

  it('resumes a client that reconnects to another instance after Last-Event-ID, nothing lost or doubled', async () => {
    const first = await open(A.eventsUrl('pay-2'))
    for (let n = 1; n <= 5; n++) await C.publish('pay-2', n)
    await first.waitForEvents(5)
    first.close()
    for (let n = 6; n <= 10; n++) await B.publish('pay-2', n)
    const second = await open(B.eventsUrl('pay-2'), { 'last-event-id': '5' })
    await second.waitForEvents(5)
    await A.publish('pay-2', 11)
    const ended = await fetch(`${C.url}/api/events/pay-2/complete`, {
      method: 'POST',
      headers: { authorization: `Bearer ${PUBLISH_SECRET}` },
    })
    expect(ended.status).toBe(200)
    await second.waitForEnd()
    expect(first.data).toEqual([1, 2, 3, 4, 5])
    expect(second.events.map((e) => e.id)).toEqual(['6', '7', '8', '9', '10', '11', '12'])
    expect(second.data).toEqual([6, 7, 8, 9, 10, 11, { reason: 'complete' }])
  })

  it('keeps a send that beat the subscriber, whichever instance each one reaches', async () => {
    expect(await B.publish('pay-3', { state: 'paid' }, 'status')).toEqual({ id: 1, delivered: 0 })
    const late = await open(C.eventsUrl('pay-3'))
    expect(await late.waitForEvents(1)).toEqual([{ id: '1', event: 'status', data: '{"state":"paid"}' }])
  })

  it('keeps its state in Redis under its prefix only', async () => {
    const keys = await keysUnder(redis, prefix)
    expect(keys).toContain(`${prefix}ch:{pay-1}:log`)
    expect(keys.every((key) => key.startsWith(prefix))).toBe(true)
  })
})
