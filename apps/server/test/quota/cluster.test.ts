import { ErrorCode } from '@kit/protocol'
import type { Redis } from 'ioredis'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { ChatConfigInput } from '../../src/config/chat'
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/openai-server'
import { EventLog } from '../chat/sse'
import { DATABASE_URL, testSchema, type TestSchema } from '../scale/support/postgres'
import { connectTestRedis, deletePrefix, REDIS_URL, testPrefix } from '../scale/support/redis'
import { startTestServer, type TestServer } from '../support/server'

/** Generous: the machine these run on may be loaded many times over. */
const SLOW = { timeout: 60_000 }

const ALICE = { 'x-kit-user': 'alice-cluster-00001' }
const NO_LIMITS = { concurrentAnswers: 0, rate: { perUser: 0, perIp: 0 } }
let fake: FakeOpenAI
let redis: Redis
const schemas: TestSchema[] = []
const prefixes: string[] = []
const servers: TestServer[] = []

beforeAll(async () => {
  fake = await startFakeOpenAI()
  redis = await connectTestRedis('quota-cluster')
}, 60_000)
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()))
  fake.requests.length = 0
  fake.chunkDelayMs = 0
}, 60_000)
afterAll(async () => {
  await fake.close()
  for (const prefix of prefixes) await deletePrefix(redis, prefix)
  await redis.quit()
  for (const schema of schemas) await schema.drop()
}, 60_000)

/** Two real servers on one Redis (and one PostgreSQL schema), as behind a load balancer. */
async function pair(chat: ChatConfigInput): Promise<[TestServer, TestServer]> {
  const prefix = testPrefix()
  const schema = testSchema()
  prefixes.push(prefix)
  schemas.push(schema)
  const start = () =>
    startTestServer({
      redis: { url: REDIS_URL, prefix },
      database: { url: DATABASE_URL, schema: schema.name },
      chat: {
        providers: [
          { type: 'openai', name: 'fake', apiKeys: ['sk-test-key'], baseUrl: fake.url, retries: 0 },
        ],
        ...chat,
      },
    })
  const both = [await start(), await start()] as [TestServer, TestServer]
  servers.push(...both)
  return both
}

const chatCalls = () => fake.requests.filter((r) => r.path === '/v1/chat/completions').length
const complete = async (s: TestServer, headers: Record<string, string> = ALICE) => {
  const res = await fetch(`${s.url}/api/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ prompt: 'x' }),
  })
  return { status: res.status, body: (await res.json()) as { error?: { code: string } } }
}

describe('two instances on one Redis', SLOW, () => {
  it('share the daily quota: 50 concurrent requests over both get 3 answers and 3 upstream calls', async () => {
    const [a, b] = await pair({ quotas: { defaultDaily: 3 }, limits: NO_LIMITS })
    fake.chunkDelayMs = 20
    const logs = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        EventLog.post(`${(i % 2 ? a : b).url}/api/chat`, { prompt: 'race' }, ALICE),
      ),
    )
    const ends = await Promise.all(logs.map(async (log) => (await log.end()).at(-1)))
    expect(ends.filter((e) => e?.event === 'done')).toHaveLength(3)
    expect(ends.filter((e) => e?.data.code === ErrorCode.QuotaExceeded)).toHaveLength(47)
    expect(chatCalls()).toBe(3)
  })

  it('share bonus balances granted on either', async () => {
    const [a, b] = await pair({ quotas: { defaultDaily: 0 }, limits: NO_LIMITS })
    const granted = await a.post('/api/quotas/bonus', {
      userId: `anon:${ALICE['x-kit-user']}`,
      model: 'gpt-4o-mini',
      amount: 1,
    })
    expect(granted.status).toBe(200)
    expect((await complete(b)).status).toBe(200)
    expect((await complete(a)).body.error?.code).toBe(ErrorCode.QuotaExceeded)
  })

  it('share the request rate and the concurrent answers', async () => {
    const [a, b] = await pair({ limits: { concurrentAnswers: 1, rate: { perUser: 3, perIp: 0 } } })
    fake.chunkDelayMs = 100
    const running = await EventLog.post(`${a.url}/api/chat`, { prompt: 'slow one' }, ALICE)
    await running.until((events) => events.length > 0, 30_000)
    const busy = await complete(b)
    expect([busy.status, busy.body.error?.code]).toEqual([429, ErrorCode.TooManyAnswers])
    await running.end()
    fake.chunkDelayMs = 0
    expect((await complete(b)).status).toBe(200)
    // The fourth request over both instances goes past the rate of 3.
    const over = await complete(a)
    expect([over.status, over.body.error?.code]).toEqual([429, ErrorCode.TooManyRequests])
    expect(chatCalls()).toBe(2)
  })
})

describe('PostgreSQL without Redis', SLOW, () => {
  it('keeps quota counts and bonus balances across a restart', async () => {
    const schema = testSchema()
    schemas.push(schema)
    const start = async () => {
      const s = await startTestServer({
        database: { url: DATABASE_URL, schema: schema.name },
        chat: {
          providers: [
            { type: 'openai', name: 'fake', apiKeys: ['sk-test-key'], baseUrl: fake.url, retries: 0 },
          ],
          quotas: { defaultDaily: 1 },
          limits: NO_LIMITS,
        },
      })
      servers.push(s)
      return s
    }
    const first = await start()
    const grant = { userId: `anon:${ALICE['x-kit-user']}`, model: 'gpt-4o-mini', amount: 1 }
    expect((await first.post('/api/quotas/bonus', grant)).status).toBe(200)
    expect((await complete(first)).status).toBe(200)
    await first.close()
    const second = await start()
    const quota = await (await fetch(`${second.url}/api/quota`, { headers: ALICE })).json()
    expect(quota).toMatchObject({ daily: 1, used: 1, bonus: 1, remaining: 1 })
  })
})
