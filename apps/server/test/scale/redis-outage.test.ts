import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EventLog } from '../chat/sse'
import { SseReader } from '../support/sse-reader'
import { sleep } from '../support/wait'
import { PUBLISH_SECRET, startCluster, type Cluster, type Instance } from './support/cluster'
import { privateRedis, type PrivateRedis } from './support/private-redis'
import { testPrefix } from './support/redis'

let redis: PrivateRedis
let cluster: Cluster
let A: Instance, B: Instance
const readers: SseReader[] = []
const chats: EventLog[] = []

const open = async (url: string, lastEventId?: string) => {
  const reader = await SseReader.open(url, lastEventId ? { 'last-event-id': lastEventId } : {})
  readers.push(reader)
  return reader
}

const tryPublish = (via: Instance, key: string, data: unknown) =>
  fetch(`${via.url}/api/events/${key}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${PUBLISH_SECRET}` },
    body: JSON.stringify({ data }),
  })

/** Publishes to a key of its own until the instance reaches Redis again. */
async function untilReconnected(via: Instance): Promise<void> {
  const deadline = Date.now() + 15_000
  while (
    (await tryPublish(via, 'probe', 'ping').then(
      (res) => res.status,
      () => 0,
    )) !== 200
  ) {
    if (Date.now() > deadline) throw new Error(`${via.name} did not reach Redis again:\n${via.log()}`)
    await sleep(100)
  }
}

beforeAll(async () => {
  redis = await privateRedis()
  cluster = await startCluster(2, {
    prefix: testPrefix(),
    redisUrl: redis.url,
    config: {
      redis: { generatorLeaseMs: 600 },
      chat: { providers: [{ type: 'demo', name: 'demo', tokensPerSecond: 150 }] },
    },
  })
  ;[A, B] = cluster.instances as [Instance, Instance]
}, 60_000)

afterAll(async () => {
  for (const log of chats) log.close()
  for (const reader of readers) reader.close()
  await cluster?.close()
  await redis?.close()
})

/** A subscriber on A receives `count` events published via B; then Redis dies and the stream is closed. */
async function subscribedWhenRedisDies(key: string, count: number): Promise<void> {
  const live = await open(A.eventsUrl(key))
  for (let n = 1; n <= count; n++) await B.publish(key, n)
  await live.waitForEvents(count)
  await redis.kill()
  // Closed without a terminal event: an SSE client reconnects with Last-Event-ID.
  await live.waitForEnd(5000)
  expect(live.events.map((e) => e.id)).toEqual(Array.from({ length: count }, (_, i) => String(i + 1)))
}

/** Starts Redis again and waits until both instances publish through it. */
async function redisBack(): Promise<void> {
  await redis.start()
  await untilReconnected(A)
  await untilReconnected(B)
}

/** The one frame of a stream that ended with an error outside the sequence. */
function onlyError(reader: SseReader): unknown {
  expect(reader.events).toHaveLength(1)
  expect(reader.events[0]).toMatchObject({ id: undefined, event: 'error' })
  return JSON.parse(reader.events[0]?.data ?? '')
}

describe('Redis lost while the servers run', { timeout: 30_000 }, () => {
  it('tells subscribers, keeps health answering, refuses publishes loudly, then resumes with nothing lost', async () => {
    await subscribedWhenRedisDies('order-1', 3)
    const during = await open(A.eventsUrl('order-1'), '3')
    await during.waitForEnd(10_000)
    expect(onlyError(during)).toMatchObject({ code: 'bus_unavailable', retriable: true })
    for (const instance of [A, B]) expect((await fetch(`${instance.url}/healthz`)).status).toBe(200)
    const refused = await tryPublish(B, 'order-1', 4)
    expect(refused.status).toBe(503)
    expect(await refused.json()).toMatchObject({ error: { code: 'bus_unavailable' } })

    await redisBack()
    const resumed = await open(B.eventsUrl('order-1'), '3')
    await A.publish('order-1', 4)
    await B.publish('order-1', 5)
    expect(await resumed.waitForEvents(2)).toEqual([
      { id: '4', event: 'message', data: '4' },
      { id: '5', event: 'message', data: '5' },
    ])
  })

  it('tells a resuming client its events are gone when Redis came back without its data', async () => {
    await subscribedWhenRedisDies('order-2', 2)
    redis.wipe()
    await redisBack()
    await A.publish('order-2', 'after the restart')
    const resumed = await open(B.eventsUrl('order-2'), '2')
    await resumed.waitForEnd()
    expect(onlyError(resumed)).toMatchObject({ code: 'resume_unavailable' })
  })

  it('refuses a new chat, a resume and a stop with a retriable 503 bus_unavailable, then answers again', async () => {
    const user = { 'x-kit-user': 'outage-user-refused-0123', 'content-type': 'application/json' }
    const ask = () =>
      fetch(`${A.url}/api/chat`, {
        method: 'POST',
        headers: user,
        body: JSON.stringify({ prompt: 'hello', options: { maxTokens: 4 } }),
      })
    await redis.kill()
    const refused = [
      await ask(),
      await fetch(`${A.url}/api/chat/streams/some-stream`, { headers: user }),
      await fetch(`${A.url}/api/chat/streams/some-stream/stop`, { method: 'POST', headers: user }),
      await fetch(`${A.url}/api/conversations/some-conversation`, { method: 'DELETE', headers: user }),
    ]
    for (const res of refused) {
      expect(res.status).toBe(503)
      expect(await res.json()).toMatchObject({ error: { code: 'bus_unavailable' } })
    }
    await redisBack()
    const answered = await ask()
    expect(answered.status).toBe(200)
    expect(await answered.text()).toContain('event: done')
  })

  it('ends an answer cut off by the outage with generator_lost once Redis is back, and a regenerate works', async () => {
    const user = { 'x-kit-user': 'outage-user-0123456789' }
    const asked = await EventLog.post(`${A.url}/api/chat`, { prompt: 'Explain load balancers' }, user)
    chats.push(asked)
    await asked.until((events) => events.filter((e) => e.event === 'message').length >= 3)
    const { streamId, conversationId } = asked.events[0]?.data as { streamId: string; conversationId: string }
    await redis.kill()
    await asked.end()
    // Longer than the command timeout (2 s): A's publish and its attempt to end the answer with
    // bus_unavailable have both failed by then, so only the lease can end it.
    await sleep(2500)
    expect((await fetch(`${A.url}/healthz`)).status).toBe(200)
    await redisBack()
    const lastId = asked.events.at(-1)?.id ?? ''
    const resumed = await EventLog.open(`${B.url}/api/chat/streams/${streamId}`, {
      headers: { ...user, 'last-event-id': lastId },
    })
    chats.push(resumed)
    const events = await resumed.end()
    expect(events.at(-1)).toMatchObject({ event: 'error', data: { code: 'generator_lost', retriable: true } })
    const again = await EventLog.post(
      `${B.url}/api/chat`,
      { conversationId, prompt: 'Explain load balancers', options: { maxTokens: 4 } },
      user,
    )
    chats.push(again)
    expect((await again.end()).at(-1)?.event).toBe('done')
  })
})
