import { ErrorCode } from '@kit/protocol'
import WebSocket from 'ws'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { sparkInstanceSchema } from '../../src/config/chat'
import { ProviderError } from '../../src/providers/errors'
import { SPARK_MODELS } from '../../src/providers/spark/domains'
import { signSparkUrl, sparkSignature, sparkSignatureOrigin } from '../../src/providers/spark/sign'
import { createSparkProvider } from '../../src/providers/spark/provider'
import type { ChatProvider, ProviderRequest } from '../../src/providers/types'
import { startConnectProxy, type ConnectProxy } from '../fakes/connect-proxy'
import { startFakeSpark, type FakeSpark } from '../fakes/spark-server'
import { collect } from './collect'

let fake: FakeSpark
let proxy: ConnectProxy
const never = new AbortController().signal

beforeAll(async () => {
  fake = await startFakeSpark()
  proxy = await startConnectProxy()
})
afterAll(async () => {
  await fake.close()
  await proxy.close()
})
afterEach(() => {
  fake.sessions.length = 0
  fake.refusals.length = 0
  fake.frameDelayMs = 0
})

function provider(overrides: Record<string, unknown> = {}): ChatProvider {
  return createSparkProvider(
    sparkInstanceSchema.parse({
      type: 'spark',
      name: 'xf',
      url: fake.url,
      credentials: fake.credentials,
      retries: 2,
      backoff: { initialMs: 20, maxMs: 80 },
      timeoutMs: 2_000,
      ...overrides,
    }),
  )
}

const ask = (
  prompt: string,
  model = 'generalv3.5',
  extra: Partial<ProviderRequest> = {},
): ProviderRequest => ({
  model,
  messages: [{ role: 'user', content: prompt }],
  ...extra,
})

describe('spark signing', () => {
  it('matches the worked example of iFlytek documentation', () => {
    const origin = sparkSignatureOrigin('spark-api.xf-yun.com', 'Fri, 05 May 2023 10:43:39 GMT', '/v1.1/chat')
    expect(sparkSignature('MjlmNzkzNmZkMDQ2OTc0ZDdmNGE2ZTZi', origin)).toBe(
      'z5gHdu3pxVV4ADMyk467wOWDQ9q6BQzR3nfMTjc/DaQ=',
    )
  })

  it('puts authorization, date and host in the query, URL-encoded, and signs the real path', () => {
    const date = new Date('2023-05-05T10:43:39Z')
    const url = new URL(
      signSparkUrl({
        url: 'wss://spark-api.xf-yun.com',
        path: '/chat/pro-128k',
        apiKey: 'k',
        apiSecret: 's',
        date,
      }),
    )
    expect(url.pathname).toBe('/chat/pro-128k')
    expect(url.searchParams.get('date')).toBe('Fri, 05 May 2023 10:43:39 GMT')
    expect(url.searchParams.get('host')).toBe('spark-api.xf-yun.com')
    const authorization = Buffer.from(url.searchParams.get('authorization') ?? '', 'base64').toString()
    const signature = sparkSignature(
      's',
      sparkSignatureOrigin('spark-api.xf-yun.com', 'Fri, 05 May 2023 10:43:39 GMT', '/chat/pro-128k'),
    )
    expect(authorization).toBe(
      `api_key="k", algorithm="hmac-sha256", headers="host date request-line", signature="${signature}"`,
    )
  })

  it('is refused with 403 by the gateway when the date is more than 300 s off', async () => {
    const url = signSparkUrl({
      url: fake.url,
      path: '/v3.5/chat',
      apiKey: fake.credentials.apiKey,
      apiSecret: fake.credentials.apiSecret,
      date: new Date(Date.now() - 301_000),
    })
    const status = await new Promise<number>((resolve) => {
      const socket = new WebSocket(url)
      socket.on('unexpected-response', (req, res) => {
        resolve(res.statusCode ?? 0)
        req.destroy()
      })
      socket.on('error', () => undefined)
    })
    expect(status).toBe(403)
  })
})

describe('spark provider: answers', () => {
  it.each(SPARK_MODELS.map((m) => [m.domain, m.path]))(
    'answers on %s over its own path %s',
    async (domain, path) => {
      const result = await collect(provider().stream(ask('hello spark', domain), never))
      expect(result.error).toBeUndefined()
      expect(result.text()).toBe('Spark answer to: hello spark')
      const [session] = fake.sessions
      expect(session?.path).toBe(path)
      expect(session?.request?.parameter.chat.domain).toBe(domain)
      expect(session?.request?.header.app_id).toBe(fake.credentials.appId)
    },
  )

  it('reads the frames with status 0, 1 and 2, takes the usage from the last one, and ends', async () => {
    const result = await collect(provider().stream(ask('count the frames please'), never))
    const deltas = result.chunks.filter((c) => c.type === 'delta')
    expect(deltas.length).toBeGreaterThan(2)
    expect(result.chunks.slice(-2)).toEqual([
      { type: 'finish', choice: 0, reason: 'stop' },
      {
        type: 'usage',
        usage: { promptTokens: 4, completionTokens: deltas.length, totalTokens: 4 + deltas.length },
      },
    ])
    // The server closed after status 2: the client never had to.
    expect(fake.sessions[0]?.clientClosed).toBe(false)
  })

  it('sends system messages to Max and Ultra, and folds them into the prompt elsewhere', async () => {
    const messages = [
      { role: 'system' as const, content: 'Be brief.' },
      { role: 'user' as const, content: 'hi' },
    ]
    await collect(provider().stream({ model: '4.0Ultra', messages }, never))
    await collect(provider().stream({ model: 'lite', messages }, never))
    expect(fake.sessions[0]?.request?.payload.message.text).toEqual(messages)
    expect(fake.sessions[1]?.request?.payload.message.text).toEqual([
      { role: 'user', content: 'Be brief.\n\nhi' },
    ])
  })

  it('passes temperature, max_tokens and a uid of at most 32 characters', async () => {
    await collect(
      provider().stream(ask('x', 'lite', { temperature: 0.3, maxTokens: 99, user: 'u'.repeat(40) }), never),
    )
    expect(fake.sessions[0]?.request?.parameter.chat).toEqual({
      domain: 'lite',
      temperature: 0.3,
      max_tokens: 99,
    })
    expect(fake.sessions[0]?.request?.header.uid).toBe('u'.repeat(32))
  })

  it('rotates app credentials between requests, past one the gateway refuses', async () => {
    const wrong = { appId: 'other', apiKey: 'other-key', apiSecret: 'other-secret' }
    const p = provider({ credentials: [fake.credentials, wrong], retries: 0 })
    for (const prompt of ['one', 'two', 'three']) {
      expect((await collect(p.stream(ask(prompt), never))).error).toBeUndefined()
    }
    expect(fake.refusals).toHaveLength(1)
    expect(fake.sessions).toHaveLength(3)
  })

  it('connects through an HTTP proxy when one is configured', async () => {
    const result = await collect(provider({ proxy: proxy.url }).stream(ask('proxied'), never))
    expect(result.text()).toBe('Spark answer to: proxied')
    expect(proxy.tunnels).toContain(new URL(fake.url).host)
  })

  it('completes without streaming by gathering the frames', async () => {
    const completion = await provider().complete(ask('whole'), never)
    expect(completion.choices).toEqual([
      { index: 0, content: 'Spark answer to: whole', finishReason: 'stop' },
    ])
    expect(completion.usage?.promptTokens).toBe(1)
  })
})

describe('spark provider: errors', () => {
  it('is refused with 401 for a wrong secret: provider_auth, no retry', async () => {
    const p = provider({ credentials: { ...fake.credentials, apiSecret: 'not-the-secret' } })
    const result = await collect(p.stream(ask('hi'), never))
    expect(result.error).toMatchObject({ code: ErrorCode.ProviderAuth, status: 401, retriable: false })
    expect((result.error as Error).message).toContain('HMAC signature does not match')
    expect(fake.refusals).toEqual([{ status: 401, message: 'HMAC signature does not match' }])
  })

  it('retries 11202 after a growing back-off and then answers', async () => {
    fake.enqueue({ kind: 'error', code: 11202 }, { kind: 'error', code: 11202 })
    const result = await collect(provider().stream(ask('busy?'), never))
    expect(result.text()).toBe('Spark answer to: busy?')
    const [first, second, third] = fake.sessions
    expect(fake.sessions).toHaveLength(3)
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(10)
    expect((third?.at ?? 0) - (second?.at ?? 0)).toBeGreaterThanOrEqual(20)
  })

  it('gives up on 11202 after `retries`, with the code and the sid', async () => {
    fake.enqueue(...Array.from({ length: 2 }, () => ({ kind: 'error' as const, code: 11202 })))
    const result = await collect(provider({ retries: 1 }).stream(ask('busy?'), never))
    expect(fake.sessions).toHaveLength(2)
    expect(result.error).toBeInstanceOf(ProviderError)
    const data = (result.error as ProviderError).toEventData()
    expect(data).toMatchObject({
      code: ErrorCode.RateLimited,
      retriable: true,
      providerCode: 11202,
      provider: 'xf',
    })
    expect(data.sid).toMatch(/^cht000/)
  })

  it('waits perSecondLimit.baseMs between 11202 retries, counted apart from other retries', async () => {
    // The source system's 30 s × 3, shortened; the instance's back-off never exceeds 80 ms.
    const perSecondLimit = { attempts: 3, baseMs: 150, maxMs: 150 }
    fake.enqueue(...Array.from({ length: 3 }, () => ({ kind: 'error' as const, code: 11202 })))
    const result = await collect(provider({ retries: 0, perSecondLimit }).stream(ask('busy?'), never))
    expect(result.text()).toBe('Spark answer to: busy?')
    const starts = fake.sessions.map((s) => s.at)
    expect(starts).toHaveLength(4)
    for (let i = 1; i < starts.length; i++) expect(starts[i]! - starts[i - 1]!).toBeGreaterThanOrEqual(150)
  })

  it('gives up on 11202 after perSecondLimit.attempts', async () => {
    const perSecondLimit = { attempts: 1, baseMs: 10, maxMs: 10 }
    fake.enqueue(...Array.from({ length: 2 }, () => ({ kind: 'error' as const, code: 11202 })))
    const result = await collect(provider({ retries: 5, perSecondLimit }).stream(ask('busy?'), never))
    expect(result.error).toMatchObject({ code: ErrorCode.RateLimited, providerCode: 11202 })
    expect(fake.sessions).toHaveLength(2)
  })

  it('maps 10013 to content_blocked without retrying', async () => {
    fake.enqueue({ kind: 'error', code: 10013, message: 'input content audit failed' })
    const result = await collect(provider().stream(ask('bad words'), never))
    expect(result.error).toMatchObject({
      code: ErrorCode.ContentBlocked,
      providerCode: 10013,
      discardPartial: false,
    })
    expect(fake.sessions).toHaveLength(1)
  })

  it('ends 10014 after partial text with discardPartial, so the client drops what it showed', async () => {
    fake.enqueue({ kind: 'error', code: 10014, afterFrames: 2 })
    const result = await collect(provider().stream(ask('one two three four five six'), never))
    expect(result.chunks.filter((c) => c.type === 'delta')).toHaveLength(2)
    const data = (result.error as ProviderError).toEventData()
    expect(data).toMatchObject({ code: ErrorCode.ContentBlocked, discardPartial: true, providerCode: 10014 })
    expect(data.sid).toMatch(/^cht000/)
  })

  it.each([
    [10907, ErrorCode.ProviderError, false],
    [11200, ErrorCode.ProviderQuota, false],
    [10110, ErrorCode.ProviderUnavailable, true],
    [12345, ErrorCode.ProviderError, false],
  ])('maps code %i to %s (retriable %s) with the code and sid', async (code, expected, retriable) => {
    fake.enqueue({ kind: 'error', code })
    const result = await collect(provider().stream(ask('x'), never))
    expect(result.error).toMatchObject({ code: expected, retriable, providerCode: code })
    expect((result.error as ProviderError).sid).toMatch(/^cht000/)
    expect(fake.sessions).toHaveLength(1)
  })

  it('closes the socket when the caller aborts mid-answer', async () => {
    fake.frameDelayMs = 30
    const controller = new AbortController()
    for await (const chunk of provider().stream(ask('a long answer to stop early'), controller.signal)) {
      if (chunk.type === 'delta') controller.abort()
    }
    const session = await fake.clientClose()
    expect(session.request?.payload.message.text[0]?.content).toBe('a long answer to stop early')
  })

  it('times out a silent session and closes it', async () => {
    fake.enqueue({ kind: 'hang' })
    const result = await collect(provider({ timeoutMs: 60, retries: 0 }).stream(ask('hello?'), never))
    expect(result.error).toMatchObject({ code: ErrorCode.ProviderUnavailable, retriable: true })
    await fake.clientClose()
  })
})
