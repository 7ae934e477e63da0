import { ErrorCode } from '@kit/protocol'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { openaiInstanceSchema, sparkInstanceSchema } from '../../src/config/chat'
import { keyFingerprint } from '../../src/providers/keys/fingerprint'
import { createOpenAIProvider } from '../../src/providers/openai/provider'
import { createSparkProvider } from '../../src/providers/spark/provider'
import type { ChatProvider, ProviderRequest } from '../../src/providers/types'
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/openai-server'
import { startFakeSpark, type FakeSpark } from '../fakes/spark-server'
import { collect } from './collect'

const GOOD = 'sk-test-one'
const SECOND = 'sk-test-two'
const DEAD = 'sk-revoked-0123456789'
const otherApp = { appId: 'app-two', apiKey: 'key-two', apiSecret: 'secret-two' }

let openai: FakeOpenAI
let spark: FakeSpark
const providers: ChatProvider[] = []
const never = new AbortController().signal

beforeAll(async () => {
  openai = await startFakeOpenAI({ apiKeys: [GOOD, SECOND] })
  spark = await startFakeSpark({ moreCredentials: [otherApp] })
})
afterAll(async () => {
  await Promise.all(providers.map((p) => p.close?.()))
  await openai.close()
  await spark.close()
})
afterEach(() => {
  openai.requests.length = 0
  spark.sessions.length = 0
  spark.refusals.length = 0
})

function openaiProvider(apiKeys: string[], overrides: Record<string, unknown> = {}) {
  const created = createOpenAIProvider(
    openaiInstanceSchema.parse({
      type: 'openai',
      name: 'acct',
      apiKeys,
      baseUrl: openai.url,
      retry: { attempts: 2, baseMs: 20, maxMs: 80 },
      ...overrides,
    }),
    {},
  )
  providers.push(created)
  return created
}

function sparkProvider(credentials: unknown[], overrides: Record<string, unknown> = {}) {
  const created = createSparkProvider(
    sparkInstanceSchema.parse({
      type: 'spark',
      name: 'xf',
      url: spark.url,
      credentials,
      retry: { attempts: 2, baseMs: 20, maxMs: 80 },
      ...overrides,
    }),
    {},
  )
  providers.push(created)
  return created
}

const ask = (prompt: string, model = 'gpt-4o-mini'): ProviderRequest => ({
  model,
  messages: [{ role: 'user', content: prompt }],
})
const keysUsed = () => openai.requests.map((r) => r.headers.authorization?.replace('Bearer ', ''))

describe('openai keys', () => {
  it('fails a 401 over to the next key at once, and leaves the refused key out of the rotation', async () => {
    const p = openaiProvider([GOOD, DEAD])
    const answers = []
    for (const prompt of ['one', 'two', 'three'])
      answers.push((await collect(p.stream(ask(prompt), never))).text())
    expect(answers).toEqual(['Echo: one', 'Echo: two', 'Echo: three'])
    expect(keysUsed()).toEqual([GOOD, DEAD, GOOD, GOOD])
    const [good, dead] = p.keys!()
    expect(good).toMatchObject({ id: keyFingerprint(GOOD), state: 'healthy', uses: 3, errors: 0 })
    expect(dead).toMatchObject({
      id: keyFingerprint(DEAD),
      state: 'down',
      uses: 1,
      errors: 1,
      lastError: { code: ErrorCode.ProviderAuth, providerCode: 'invalid_api_key' },
    })
    expect(JSON.stringify(p.keys!())).not.toContain('revoked')
  })

  it('fails insufficient_quota over to the next key, for non-streamed answers too', async () => {
    const p = openaiProvider([GOOD, SECOND])
    openai.enqueue({ kind: 'status', status: 429, code: 'insufficient_quota' })
    await expect(p.complete(ask('paid'), never)).resolves.toMatchObject({
      choices: [{ content: 'Echo: paid' }],
    })
    expect(p.keys!()[0]).toMatchObject({ state: 'down', lastError: { code: ErrorCode.ProviderQuota } })
  })

  it('probes a refused key again after its back-off, which doubles while it keeps failing', async () => {
    const p = openaiProvider([DEAD, GOOD], { keyProbe: { baseMs: 1_500, maxMs: 10_000 } })
    await collect(p.stream(ask('first'), never))
    const backOff = () => {
      const dead = p.keys!()[0]!
      return Date.parse(dead.retryAt!) - Date.parse(dead.lastError!.at)
    }
    expect(backOff()).toBe(1_500)
    // Until the probe is due, requests go to the good key only.
    await collect(p.stream(ask('second'), never))
    expect(keysUsed()).toEqual([DEAD, GOOD, GOOD])
    await expect.poll(() => Date.now() >= Date.parse(p.keys!()[0]!.retryAt!), { timeout: 10_000 }).toBe(true)
    // The probe is due: the next requests try the dead key once, fail over, and double its back-off.
    await collect(p.stream(ask('third'), never))
    await collect(p.stream(ask('fourth'), never))
    expect(keysUsed().filter((k) => k === DEAD)).toHaveLength(2)
    expect(backOff()).toBe(3_000)
  })

  it('answers the refusal when every key is refused, then fails fast without calling the provider', async () => {
    const p = openaiProvider([DEAD, DEAD.replace('0123', '9999')])
    const first = await collect(p.stream(ask('hi'), never))
    expect(first.error).toMatchObject({ code: ErrorCode.ProviderAuth, providerCode: 'invalid_api_key' })
    expect(openai.requests).toHaveLength(2)
    const second = await collect(p.stream(ask('hi again'), never))
    expect(second.error).toMatchObject({ code: ErrorCode.ProviderAuth, retriable: false })
    expect((second.error as Error).message).toMatch(/every key is out of rotation/)
    expect((second.error as Error).message).not.toMatch(/revoked|0123/)
    expect(openai.requests).toHaveLength(2)
  })

  it('keeps a key that is only rate limited in rotation', async () => {
    const p = openaiProvider([GOOD])
    openai.enqueue({ kind: 'status', status: 429 })
    expect((await collect(p.stream(ask('hi'), never))).text()).toBe('Echo: hi')
    expect(p.keys!()[0]).toMatchObject({
      state: 'healthy',
      errors: 1,
      lastError: { code: ErrorCode.RateLimited },
    })
  })
})

describe('spark apps', () => {
  it('fails a refused handshake over to the next app', async () => {
    const wrong = { appId: 'app-x', apiKey: 'key-x', apiSecret: 'secret-x' }
    const p = sparkProvider([wrong, spark.credentials])
    expect((await collect(p.stream(ask('hi', 'lite'), never))).text()).toBe('Spark answer to: hi')
    expect(spark.refusals).toEqual([{ status: 401, message: 'HMAC signature cannot be verified' }])
    expect(p.keys!()[0]).toMatchObject({ state: 'down', lastError: { code: ErrorCode.ProviderAuth } })
  })

  it.each([11200, 11201, 10016, 11500])(
    'takes an app out of rotation on code %i and asks the next',
    async (code) => {
      const p = sparkProvider([spark.credentials, otherApp])
      spark.enqueue({ kind: 'error', code })
      expect((await collect(p.stream(ask('hi', 'lite'), never))).text()).toBe('Spark answer to: hi')
      expect(spark.sessions.map((s) => s.apiKey)).toEqual([spark.credentials.apiKey, otherApp.apiKey])
      expect(p.keys!()[0]).toMatchObject({ state: 'down', lastError: { providerCode: code } })
    },
  )

  it('does not fail over on content refusals, which are about the request', async () => {
    const p = sparkProvider([spark.credentials, otherApp])
    spark.enqueue({ kind: 'error', code: 10013 })
    const result = await collect(p.stream(ask('hi', 'lite'), never))
    expect(result.error).toMatchObject({ code: ErrorCode.ContentBlocked })
    expect(spark.sessions).toHaveLength(1)
    expect(p.keys!().map((k) => k.state)).toEqual(['healthy', 'healthy'])
  })
})
