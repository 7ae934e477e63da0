import { ErrorCode } from '@kit/protocol'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { openaiInstanceSchema } from '../../src/config/chat'
import { ProviderError } from '../../src/providers/errors'
import { createOpenAIProvider } from '../../src/providers/openai/provider'
import type { ChatProvider, ProviderRequest } from '../../src/providers/types'
import { startConnectProxy, type ConnectProxy } from '../fakes/connect-proxy'
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/openai-server'
import { collect } from './collect'

let fake: FakeOpenAI
let proxy: ConnectProxy
const providers: ChatProvider[] = []

beforeAll(async () => {
  fake = await startFakeOpenAI({ apiKeys: ['sk-test-one', 'sk-test-two'] })
  proxy = await startConnectProxy()
})
afterAll(async () => {
  await Promise.all(providers.map((p) => p.close?.()))
  await fake.close()
  await proxy.close()
})
afterEach(() => {
  fake.requests.length = 0
  fake.chunkDelayMs = 0
})

function provider(overrides: Record<string, unknown> = {}): ChatProvider {
  const config = openaiInstanceSchema.parse({
    type: 'openai',
    name: 'acct',
    apiKeys: ['sk-test-one'],
    baseUrl: fake.url,
    backoff: { initialMs: 20, maxMs: 80 },
    retries: 2,
    timeoutMs: 2_000,
    ...overrides,
  })
  const created = createOpenAIProvider(config)
  providers.push(created)
  return created
}

const ask = (prompt: string, extra: Partial<ProviderRequest> = {}): ProviderRequest => ({
  model: 'gpt-4o-mini',
  messages: [{ role: 'user', content: prompt }],
  ...extra,
})

const never = new AbortController().signal
const chatRequests = () => fake.requests.filter((r) => r.path === '/v1/chat/completions')

describe('openai provider: streaming', () => {
  it('streams deltas, the finish reason and the usage chunk asked for with include_usage', async () => {
    const result = await collect(provider().stream(ask('hello there', { user: 'u1' }), never))
    expect(result.error).toBeUndefined()
    expect(result.text()).toBe('Echo: hello there')
    expect(result.chunks).toContainEqual({ type: 'finish', choice: 0, reason: 'stop' })
    expect(result.chunks.at(-1)).toEqual({
      type: 'usage',
      usage: { promptTokens: 2, completionTokens: 3, totalTokens: 5 },
    })
    const [request] = chatRequests()
    expect(request?.body).toMatchObject({
      model: 'gpt-4o-mini',
      stream: true,
      stream_options: { include_usage: true },
      user: 'u1',
      messages: [{ role: 'user', content: 'hello there' }],
    })
    expect(request?.headers.authorization).toBe('Bearer sk-test-one')
  })

  it('streams n choices side by side', async () => {
    const result = await collect(provider().stream(ask('two ways', { n: 2 }), never))
    expect(result.text(0)).toBe('Echo: two ways')
    expect(result.text(1)).toBe('Echo 1: two ways')
    expect(result.chunks.filter((c) => c.type === 'finish')).toHaveLength(2)
    expect(chatRequests()[0]?.body?.n).toBe(2)
  })

  it('reports finish reason length when max_tokens cuts the answer', async () => {
    const result = await collect(provider().stream(ask('a b c d e f', { maxTokens: 3 }), never))
    expect(result.text()).toBe('Echo: a b')
    expect(result.chunks).toContainEqual({ type: 'finish', choice: 0, reason: 'length' })
  })

  it('rotates keys round-robin, one request after the other', async () => {
    const p = provider({ apiKeys: ['sk-test-one', 'sk-test-two'] })
    for (let i = 0; i < 3; i++) await collect(p.stream(ask('hi'), never))
    expect(chatRequests().map((r) => r.headers.authorization)).toEqual([
      'Bearer sk-test-one',
      'Bearer sk-test-two',
      'Bearer sk-test-one',
    ])
  })

  it('talks to the provider through an HTTP proxy when one is configured', async () => {
    const result = await collect(provider({ proxy: proxy.url }).stream(ask('via proxy'), never))
    expect(result.text()).toBe('Echo: via proxy')
    expect(proxy.tunnels).toContain(new URL(fake.url).host)
  })
})

describe('openai provider: errors and retries', () => {
  it('treats 401 as fatal: one request, provider_auth, and no fragment of the key in the message', async () => {
    const result = await collect(provider({ apiKeys: ['sk-wrong-key-123456'] }).stream(ask('hi'), never))
    expect(result.error).toBeInstanceOf(ProviderError)
    const error = result.error as ProviderError
    expect(error.code).toBe(ErrorCode.ProviderAuth)
    expect(error.retriable).toBe(false)
    expect(error.message).not.toMatch(/sk-wr|456/)
    expect(chatRequests()).toHaveLength(1)
  })

  it('retries 429 rate_limit_exceeded after a growing back-off, then answers', async () => {
    fake.enqueue({ kind: 'status', status: 429 }, { kind: 'status', status: 429 })
    const result = await collect(provider().stream(ask('again'), never))
    expect(result.text()).toBe('Echo: again')
    const [first, second, third] = chatRequests()
    expect(chatRequests()).toHaveLength(3)
    // Attempt k waits between c/2 and c with c = 20 ms * 2^k.
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(10)
    expect((third?.at ?? 0) - (second?.at ?? 0)).toBeGreaterThanOrEqual(20)
  })

  it('honours Retry-After on a 429, within maxMs', async () => {
    fake.enqueue({ kind: 'status', status: 429, headers: { 'retry-after-ms': '70' } })
    const result = await collect(provider().stream(ask('later'), never))
    expect(result.error).toBeUndefined()
    const [first, second] = chatRequests()
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(70)
  })

  it('never retries 429 insufficient_quota', async () => {
    fake.enqueue({ kind: 'status', status: 429, code: 'insufficient_quota' })
    const result = await collect(provider().stream(ask('hi'), never))
    expect(result.error).toMatchObject({ code: ErrorCode.ProviderQuota, retriable: false })
    expect(chatRequests()).toHaveLength(1)
  })

  it('retries 500 at most `retries` times, then fails with a retriable provider_error', async () => {
    fake.enqueue(...Array.from({ length: 3 }, () => ({ kind: 'status' as const, status: 500 })))
    const result = await collect(provider({ retries: 2 }).stream(ask('hi'), never))
    expect(result.error).toMatchObject({ code: ErrorCode.ProviderError, retriable: true, status: 500 })
    expect(chatRequests()).toHaveLength(3)
  })

  it('ends with the in-stream error after what was streamed, without repeating the request', async () => {
    fake.enqueue({
      kind: 'stream-error',
      afterChunks: 2,
      code: 'server_error',
      message: 'The model overloaded',
    })
    const result = await collect(provider().stream(ask('one two three four'), never))
    expect(result.text()).toBe('Echo: one')
    expect(result.error).toMatchObject({ code: ErrorCode.ProviderError, providerCode: 'server_error' })
    expect((result.error as Error).message).toContain('The model overloaded')
    expect(chatRequests()).toHaveLength(1)
  })

  it('retries an in-stream error that came before any text', async () => {
    fake.enqueue({ kind: 'stream-error', afterChunks: 0 })
    const result = await collect(provider().stream(ask('fine'), never))
    expect(result.text()).toBe('Echo: fine')
    expect(chatRequests()).toHaveLength(2)
  })

  it('maps a connection cut mid-answer to a retriable error after the text already streamed', async () => {
    fake.enqueue({ kind: 'drop', afterChunks: 1 })
    const result = await collect(provider().stream(ask('cut here please'), never))
    expect(result.text()).toBe('Echo:')
    expect(result.error).toMatchObject({ code: ErrorCode.ProviderUnavailable, retriable: true })
    expect(chatRequests()).toHaveLength(1)
  })

  it('times out a silent provider, retries within bounds, and closes each connection', async () => {
    fake.enqueue({ kind: 'hang' }, { kind: 'hang' })
    const started = Date.now()
    const result = await collect(provider({ timeoutMs: 60, retries: 1 }).stream(ask('hello?'), never))
    expect(result.error).toMatchObject({ code: ErrorCode.ProviderUnavailable, retriable: true })
    expect(Date.now() - started).toBeGreaterThanOrEqual(120)
    expect(chatRequests()).toHaveLength(2)
    await expect.poll(() => chatRequests().every((r) => r.clientClosed)).toBe(true)
  })
})

describe('openai provider: abort and non-streaming calls', () => {
  it('aborting closes the connection at the provider', async () => {
    fake.chunkDelayMs = 30
    const controller = new AbortController()
    const seen: string[] = []
    for await (const chunk of provider().stream(ask('a long answer to stop early'), controller.signal)) {
      if (chunk.type === 'delta') seen.push(chunk.text)
      controller.abort()
    }
    const closed = await fake.clientClose()
    expect(closed.path).toBe('/v1/chat/completions')
    expect(seen.join('')).toBe('Echo:')
  })

  it('completes without streaming, with every choice and the usage', async () => {
    const completion = await provider().complete(ask('quiet', { n: 2 }), never)
    expect(completion.choices).toEqual([
      { index: 0, content: 'Echo: quiet', finishReason: 'stop' },
      { index: 1, content: 'Echo 1: quiet', finishReason: 'stop' },
    ])
    expect(completion.usage).toEqual({ promptTokens: 1, completionTokens: 5, totalTokens: 6 })
    expect(chatRequests()[0]?.body?.stream).toBe(false)
  })

  it('retries a completion on 503 and fails fast on 401', async () => {
    fake.enqueue({ kind: 'status', status: 503 })
    await expect(provider().complete(ask('x'), never)).resolves.toMatchObject({
      choices: [{ content: 'Echo: x' }],
    })
    await expect(provider({ apiKeys: ['sk-nope'] }).complete(ask('x'), never)).rejects.toMatchObject({
      code: ErrorCode.ProviderAuth,
    })
    expect(chatRequests()).toHaveLength(3)
  })
})
