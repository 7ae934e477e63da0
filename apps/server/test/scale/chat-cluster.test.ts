import { randomUUID } from 'node:crypto'
import type { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EventLog, type WireEvent } from '../chat/sse'
import { sleep } from '../support/wait'
import { startCluster, type Cluster, type Instance } from './support/cluster'
import { DATABASE_URL, testSchema } from './support/postgres'
import { connectTestRedis, deletePrefix, testPrefix } from './support/redis'

const prefix = testPrefix()
const schema = testSchema()
const IDLE_MS = 1800
const LEASE_MS = 600
let cluster: Cluster
let redis: Redis
let A: Instance, B: Instance, C: Instance
const logs: EventLog[] = []

beforeAll(async () => {
  redis = await connectTestRedis()
  cluster = await startCluster(3, {
    prefix,
    database: { url: DATABASE_URL, schema: schema.name },
    config: {
      redis: { generatorLeaseMs: LEASE_MS },
      chat: {
        providers: [{ type: 'demo', name: 'demo', tokensPerSecond: 150 }],
        sessions: { idleMinutes: IDLE_MS / 60_000 },
        quotas: { defaultDaily: 3 },
        // Every browser of these tests comes from the loopback address: no share per address.
        limits: { anonymousPerIp: 0 },
      },
    },
  })
  ;[A, B, C] = cluster.instances as [Instance, Instance, Instance]
}, 60_000)

afterAll(async () => {
  for (const log of logs) log.close()
  await cluster?.close()
  await deletePrefix(redis, prefix)
  await redis.quit()
  await schema.drop()
})

/** An anonymous browser: its id travels in `X-Kit-User`, so every instance sees the same user. */
const browser = () => ({ 'x-kit-user': randomUUID().replaceAll('-', '') })
type Browser = ReturnType<typeof browser>

async function ask(via: Instance, user: Browser, body: Record<string, unknown>): Promise<EventLog> {
  const log = await EventLog.post(`${via.url}/api/chat`, body, user)
  logs.push(log)
  return log
}

async function resume(
  via: Instance,
  user: Browser,
  streamId: string,
  lastEventId: string,
): Promise<EventLog> {
  const log = await EventLog.open(`${via.url}/api/chat/streams/${streamId}`, {
    headers: { ...user, 'last-event-id': lastEventId },
  })
  logs.push(log)
  return log
}

const short = { options: { maxTokens: 4 } }
const startOf = (events: readonly WireEvent[]) =>
  events[0]?.data as { streamId: string; conversationId: string }
const last = (events: readonly WireEvent[]) => events.at(-1)
const usageOf = (events: readonly WireEvent[]) =>
  (last(events)?.data as { usage: { promptTokens: number } }).usage.promptTokens
const deltas = (events: readonly WireEvent[]) => events.filter((e) => e.event === 'message').length

describe('chat across three server processes on Redis and PostgreSQL', { timeout: 15_000 }, () => {
  it('resumes an answer generated on A through B, nothing lost or doubled, and saves it once', async () => {
    const user = browser()
    const first = await ask(A, user, { prompt: 'Explain server-sent events' })
    await first.until((events) => deltas(events) >= 5)
    first.close()
    const { streamId, conversationId } = startOf(first.events)
    const lastId = first.events.at(-1)?.id ?? ''
    const second = await resume(B, user, streamId, lastId)
    const rest = await second.end()
    expect(last(rest)?.event).toBe('done')
    const ids = [...first.events, ...rest].map((e) => Number(e.id))
    expect(ids).toEqual(ids.map((_, i) => i + 1))
    const text = first.text() + second.text()
    const saved = await fetch(`${C.url}/api/conversations/${conversationId}`, { headers: user })
    const conversation = (await saved.json()) as { messages: { role: string; content: string }[] }
    expect(conversation.messages.map((m) => m.role)).toEqual(['user', 'assistant'])
    expect(conversation.messages[1]?.content).toBe(text)
  })

  it('counts a user’s answers once across instances against the daily quota', async () => {
    const user = browser()
    for (const via of [A, B, C])
      expect(last(await (await ask(via, user, { prompt: 'hi', ...short })).end())?.event).toBe('done')
    const refused = await (await ask(A, user, { prompt: 'hi', ...short })).end()
    expect(refused.map((e) => [e.event, e.data.code])).toEqual([['error', 'quota_exceeded']])
  })

  it('carries a conversation’s context to every instance and forgets it everywhere once idle', async () => {
    const user = browser()
    const conversationId = randomUUID()
    const body = { conversationId, prompt: 'Translate: good morning', ...short }
    const alone = usageOf(await (await ask(A, user, body)).end())
    const withContext = usageOf(await (await ask(B, user, body)).end())
    expect(withContext).toBeGreaterThan(alone)
    await sleep(IDLE_MS + 400)
    const other = browser()
    const afterIdle = usageOf(await (await ask(C, other, { ...body, conversationId: randomUUID() })).end())
    expect(afterIdle).toBe(alone)
    expect(usageOf(await (await ask(C, user, body)).end())).toBe(alone)
  })

  it('stops an answer generating on A when asked through C', async () => {
    const user = browser()
    const log = await ask(A, user, { prompt: 'Write a long story' })
    await log.until((events) => deltas(events) >= 2)
    const stopped = await fetch(`${C.url}/api/chat/streams/${startOf(log.events).streamId}/stop`, {
      method: 'POST',
      headers: user,
    })
    expect(await stopped.json()).toEqual({ stopping: true })
    const events = await log.end()
    expect(last(events)).toMatchObject({ event: 'done', data: { reason: 'aborted' } })
  })

  it('ends an answer whose generating instance died with generator_lost, and a regenerate works', async () => {
    const user = browser()
    const log = await ask(A, user, { prompt: 'Describe a load balancer' })
    await log.until((events) => deltas(events) >= 3)
    const { streamId, conversationId } = startOf(log.events)
    await A.kill()
    await log.end()
    // Deltas A published before it died, but the client never read, come first.
    const resumed = await (await resume(B, user, streamId, log.events.at(-1)?.id ?? '')).end()
    expect(resumed.slice(0, -1).every((e) => e.event === 'message')).toBe(true)
    expect(last(resumed)).toMatchObject({ event: 'error', data: { code: 'generator_lost', retriable: true } })
    const regenerated = await ask(C, user, { conversationId, prompt: 'Describe a load balancer', ...short })
    const again = await regenerated.end()
    expect(again[0]?.event).toBe('start')
    expect(last(again)?.event).toBe('done')
    expect(regenerated.text()).not.toBe('')
  })
})
