import { request } from 'node:http'
import { ErrorCode } from '@kit/protocol'
import { SignJWT } from 'jose'
import { describe, expect, it } from 'vitest'
import { PUBLISH_SECRET, type TestServer } from '../support/server'
import { startFakeSpark } from '../fakes/spark-server'
import { useKitHarness } from './harness'
import { EventLog } from './sse'

const ALICE = { 'x-kit-user': 'alice-browser-0001' }
const BOB = { 'x-kit-user': 'bob-browser-000002' }

const kit = useKitHarness()
const server = kit.server

const ask = (s: TestServer, body: unknown, headers: Record<string, string> = ALICE) =>
  EventLog.post(`${s.url}/api/chat`, body, headers)

const json = (s: TestServer, path: string, init: RequestInit & { headers?: Record<string, string> } = {}) =>
  fetch(`${s.url}${path}`, {
    ...init,
    headers: { 'content-type': 'application/json', ...ALICE, ...init.headers },
  })

const chatRequests = () => kit.fake.requests.filter((r) => r.path === '/v1/chat/completions')
const startOf = (log: EventLog) =>
  log.events.find((e) => e.event === 'start')?.data as { streamId: string; conversationId: string }

describe('POST /api/chat', () => {
  it('streams start, deltas and done on an SSE channel whose ids rise by one', async () => {
    const s = await server()
    const log = await ask(s, { prompt: 'hello there', provider: 'fake' })
    expect(log.status).toBe(200)
    expect(log.headers['content-type']).toBe('text/event-stream')
    const events = await log.end()
    expect(events.map((e) => e.event)).toEqual(['start', 'message', 'message', 'message', 'done'])
    expect(events.map((e) => Number(e.id))).toEqual([1, 2, 3, 4, 5])
    expect(log.text()).toBe('Echo: hello there')
    expect(events.at(-1)?.data).toEqual({
      reason: 'stop',
      usage: { promptTokens: 2, completionTokens: 3, totalTokens: 5 },
    })
  })

  it('answers from the demo provider by default and says so in GET /api/providers', async () => {
    const s = await server({ providers: [] })
    const providers = await (await json(s, '/api/providers')).json()
    expect(providers).toEqual({
      default: 'demo',
      providers: [
        { name: 'demo', type: 'demo', models: ['demo-markdown'], defaultModel: 'demo-markdown', demo: true },
      ],
      templates: [
        { name: 'translate', label: 'Translate', args: ['language'] },
        { name: 'polish', label: 'Polish', args: [] },
        { name: 'summarise', label: 'Summarise', args: [] },
        { name: 'explain-code', label: 'Explain code', args: [] },
      ],
    })
    const log = await ask(s, { prompt: 'hi' })
    // At the demo's realistic pace: read the first lines only.
    await log.until(() => log.text().includes('**demo** provider'))
    log.close()
  })

  it('lists provider instances without their keys', async () => {
    const s = await server()
    const text = await (await json(s, '/api/providers')).text()
    expect(text).toContain('"fake"')
    expect(text).not.toContain('sk-test-key')
  })

  it('answers 400 JSON for a bad body, an unknown provider and an unknown model', async () => {
    const s = await server()
    const post = (body: unknown) => json(s, '/api/chat', { method: 'POST', body: JSON.stringify(body) })
    const cases: [unknown, string][] = [
      [{ prompt: '' }, ErrorCode.ValidationFailed],
      [{ prompt: 'x', options: { n: 11 } }, ErrorCode.ValidationFailed],
      [{ prompt: 'x', provider: 'nope' }, ErrorCode.UnknownProvider],
      [{ prompt: 'x', provider: 'fake', model: 'gpt-9' }, ErrorCode.UnknownModel],
      [{ prompt: 'x', template: 'nope' }, ErrorCode.UnknownTemplate],
    ]
    for (const [body, code] of cases) {
      const res = await post(body)
      expect(res.status).toBe(400)
      expect(await res.json()).toMatchObject({ error: { code, message: expect.any(String) } })
    }
    expect(chatRequests()).toHaveLength(0)
  })

  it('answers quota_exceeded and content_blocked as the stream error, before any provider call', async () => {
    const s = await server({
      quotas: { defaultDaily: 1 },
      moderation: { words: ['badword'] },
      limits: { anonymousPerIp: 2 },
    })
    await (await ask(s, { prompt: 'first', provider: 'fake' })).end()
    const blocked = await (await ask(s, { prompt: 'a BadWord here', provider: 'fake' })).end()
    expect(blocked).toEqual([
      {
        id: '1',
        event: 'error',
        data: { code: ErrorCode.ContentBlocked, message: expect.any(String), retriable: false },
      },
    ])
    const overQuota = await ask(s, { prompt: 'second', provider: 'fake' })
    expect(overQuota.status).toBe(200)
    expect((await overQuota.end()).map((e) => [e.event, e.data.code])).toEqual([
      ['error', ErrorCode.QuotaExceeded],
    ])
    expect(chatRequests()).toHaveLength(1)
    // Another browser has its own quota (their shared address allows two answers).
    expect((await (await ask(s, { prompt: 'mine', provider: 'fake' }, BOB)).end()).at(-1)?.event).toBe('done')
  })

  it('answers n choices side by side in the stream', async () => {
    const s = await server()
    const log = await ask(s, { prompt: 'twice', provider: 'fake', options: { n: 2 } })
    await log.end()
    expect(log.text(0)).toBe('Echo: twice')
    expect(log.text(1)).toBe('Echo 1: twice')
  })
})

describe('Spark over HTTP', () => {
  it('carries the code, the sid and discardPartial of a Spark failure to the browser', async () => {
    const spark = await startFakeSpark()
    try {
      const s = await server({
        providers: [{ type: 'spark', name: 'xf', url: spark.url, credentials: spark.credentials }],
      })
      spark.enqueue({ kind: 'error', code: 10014, afterFrames: 2 })
      const events = await (await ask(s, { prompt: 'one two three four five six seven' })).end()
      expect(events.map((e) => e.event)).toEqual(['start', 'message', 'message', 'error'])
      expect(events.at(-1)?.data).toEqual({
        code: ErrorCode.ContentBlocked,
        message: expect.stringContaining('10014'),
        retriable: false,
        discardPartial: true,
        provider: 'xf',
        providerCode: 10014,
        sid: expect.stringMatching(/^cht000/),
      })
    } finally {
      await spark.close()
    }
  })
})

describe('resume, grace period and stop', () => {
  it('resumes after a dropped connection with Last-Event-ID, losing and repeating nothing', async () => {
    const s = await server({ streams: { graceMs: 5_000 } })
    kit.fake.chunkDelayMs = 15
    const words = Array.from({ length: 12 }, (_, i) => `w${i}`).join(' ')
    const first = await ask(s, { prompt: words, provider: 'fake' })
    await first.until((events) => events.filter((e) => e.event === 'message').length >= 3)
    first.close()
    const seen = [...first.events]
    const lastId = seen.at(-1)?.id ?? ''
    const { streamId } = startOf(first)
    const second = await EventLog.open(`${s.url}/api/chat/streams/${streamId}`, {
      headers: { ...ALICE, 'last-event-id': lastId },
    })
    expect(second.status).toBe(200)
    const rest = await second.end()
    const all = [...seen, ...rest]
    expect(all.map((e) => Number(e.id))).toEqual(all.map((_, i) => i + 1))
    expect(all.at(-1)?.event).toBe('done')
    const text = all
      .filter((e) => e.event === 'message')
      .map((e) => e.data.delta)
      .join('')
    expect(text).toBe(`Echo: ${words}`)
    expect(chatRequests()[0]?.clientClosed).toBe(false)
  })

  it('keeps generating through the grace period, so the saved answer is whole', async () => {
    const s = await server({ streams: { graceMs: 5_000 } })
    kit.fake.chunkDelayMs = 10
    const log = await ask(s, {
      prompt: 'one two three four five six',
      provider: 'fake',
      conversationId: 'grace',
    })
    await log.until((events) => events.some((e) => e.event === 'message'))
    log.close()
    await expect
      .poll(async () => (await (await json(s, '/api/conversations/grace')).json()).messages?.[1]?.content, {
        timeout: 3000,
      })
      .toBe('Echo: one two three four five six')
  })

  it('stops at the provider when nobody came back within the grace period', async () => {
    const s = await server({ streams: { graceMs: 50 } })
    kit.fake.chunkDelayMs = 30
    const log = await ask(s, {
      prompt: Array.from({ length: 40 }, () => 'word').join(' '),
      provider: 'fake',
      conversationId: 'gone',
    })
    await log.until((events) => events.some((e) => e.event === 'message'))
    log.close()
    const closed = await kit.fake.clientClose()
    expect(closed.path).toBe('/v1/chat/completions')
    await expect.poll(async () => (await json(s, '/api/conversations/gone')).status).toBe(200)
    const saved = await (await json(s, '/api/conversations/gone')).json()
    expect(saved.messages[1].content.length).toBeLessThan('Echo: '.length + 40 * 5)
  })

  it('stops generating on request: done aborted, and the provider sees its connection close', async () => {
    const s = await server()
    kit.fake.chunkDelayMs = 20
    const log = await ask(s, { prompt: Array.from({ length: 40 }, () => 'word').join(' '), provider: 'fake' })
    await log.until((events) => events.some((e) => e.event === 'message'))
    const { streamId } = startOf(log)
    const other = await json(s, `/api/chat/streams/${streamId}/stop`, { method: 'POST', headers: BOB })
    expect(other.status).toBe(404)
    const stop = await json(s, `/api/chat/streams/${streamId}/stop`, { method: 'POST' })
    expect(await stop.json()).toEqual({ stopping: true })
    const events = await log.end()
    expect(events.at(-1)).toMatchObject({ event: 'done', data: { reason: 'aborted' } })
    await kit.fake.clientClose()
    const again = await json(s, `/api/chat/streams/${streamId}/stop`, { method: 'POST' })
    expect(await again.json()).toEqual({ stopping: false })
    const metrics = await (await fetch(`${s.url}/metrics`)).text()
    expect(metrics).toMatch(/^kit_chat_answers_stopped_total 1$/m)
    expect(metrics).toMatch(/^kit_chat_answers_total 0$/m)
    expect(metrics).toMatch(/^kit_chat_generating 0$/m)
  })

  it('answers 204 to a resume of an unknown stream or of someone else’s', async () => {
    const s = await server()
    const log = await ask(s, { prompt: 'mine', provider: 'fake' })
    await log.end()
    const { streamId } = startOf(log)
    const unknown = await fetch(`${s.url}/api/chat/streams/no-such-stream`, { headers: ALICE })
    const foreign = await fetch(`${s.url}/api/chat/streams/${streamId}`, { headers: BOB })
    const ended = await fetch(`${s.url}/api/chat/streams/${streamId}`, {
      headers: { ...ALICE, 'last-event-id': '5' },
    })
    expect([unknown.status, foreign.status, ended.status]).toEqual([204, 204, 204])
    const bad = await fetch(`${s.url}/api/chat/streams/${encodeURIComponent('bad id!')}`, { headers: ALICE })
    expect(bad.status).toBe(400)
  })
})

describe('POST /api/chat/completions', () => {
  it('answers every choice as JSON', async () => {
    const s = await server()
    const res = await json(s, '/api/chat/completions', {
      method: 'POST',
      body: JSON.stringify({ prompt: 'quiet', provider: 'fake', options: { n: 2 } }),
    })
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({
      provider: 'fake',
      choices: [{ content: 'Echo: quiet' }, { content: 'Echo 1: quiet' }],
      usage: { totalTokens: 6 },
    })
  })

  it('stops the provider call when the client goes away', async () => {
    const s = await server()
    kit.fake.enqueue({ kind: 'hang' })
    const req = request(`${s.url}/api/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...ALICE },
      agent: false,
    })
    req.on('error', () => undefined)
    req.end(JSON.stringify({ prompt: 'never mind', provider: 'fake' }))
    await expect.poll(() => chatRequests().length).toBe(1)
    req.destroy()
    expect((await kit.fake.clientClose()).path).toBe('/v1/chat/completions')
  })

  it('answers 429 quota_exceeded and 502 provider_auth as JSON errors', async () => {
    const s = await server({ quotas: { defaultDaily: 0 } })
    const res = await json(s, '/api/chat/completions', {
      method: 'POST',
      body: JSON.stringify({ prompt: 'x' }),
    })
    expect(res.status).toBe(429)
    expect(await res.json()).toMatchObject({ error: { code: ErrorCode.QuotaExceeded } })
    const t = await server({
      providers: [
        { type: 'openai', name: 'bad', apiKeys: ['sk-bad-key-000'], baseUrl: kit.fake.url, retries: 0 },
      ],
    })
    const failed = await json(t, '/api/chat/completions', {
      method: 'POST',
      body: JSON.stringify({ prompt: 'x' }),
    })
    expect(failed.status).toBe(502)
    const body = await failed.text()
    expect(JSON.parse(body)).toMatchObject({ error: { code: ErrorCode.ProviderAuth } })
    expect(body).not.toContain('sk-ba')
  })
})

describe('conversations and users', () => {
  it('lists, shows and deletes a user’s own conversations only', async () => {
    const s = await server()
    await (await ask(s, { prompt: 'first conversation', provider: 'fake', conversationId: 'c-1' })).end()
    await (await ask(s, { prompt: 'follow-up', provider: 'fake', conversationId: 'c-1' })).end()
    await (await ask(s, { prompt: 'second conversation', provider: 'fake', conversationId: 'c-2' })).end()
    const list = await (await json(s, '/api/conversations')).json()
    expect(list.conversations.map((c: { id: string; title: string }) => [c.id, c.title])).toEqual([
      ['c-2', 'second conversation'],
      ['c-1', 'first conversation'],
    ])
    const one = await (await json(s, '/api/conversations/c-1')).json()
    expect(one.messages.map((m: { role: string; content: string }) => m.content)).toEqual([
      'first conversation',
      'Echo: first conversation',
      'follow-up',
      'Echo: follow-up',
    ])
    expect((await (await json(s, '/api/conversations', { headers: BOB })).json()).conversations).toEqual([])
    expect((await json(s, '/api/conversations/c-1', { headers: BOB })).status).toBe(404)
    expect((await json(s, '/api/conversations/c-1', { method: 'DELETE', headers: BOB })).status).toBe(404)
    expect((await json(s, '/api/conversations/c-1', { method: 'DELETE' })).status).toBe(204)
    expect((await json(s, '/api/conversations/c-1')).status).toBe(404)
    // Its context went with it: the next prompt there starts afresh.
    await (await ask(s, { prompt: 'anew', provider: 'fake', conversationId: 'c-1' })).end()
    expect(chatRequests().at(-1)?.body?.messages).toEqual([{ role: 'user', content: 'anew' }])
  })

  it('gives a browser without an id a cookie, and knows it by that cookie afterwards', async () => {
    const s = await server()
    const first = await ask(s, { prompt: 'who am i', provider: 'fake', conversationId: 'me' }, {})
    await first.end()
    const cookie = first.headers['set-cookie']?.[0] ?? ''
    expect(cookie).toMatch(/^kit_uid=[A-Za-z0-9_-]{22}; .*HttpOnly/)
    const mine = await fetch(`${s.url}/api/conversations`, {
      headers: { cookie: cookie.split(';')[0] ?? '' },
    })
    expect(mine.headers.get('set-cookie')).toBeNull()
    expect((await mine.json()).conversations.map((c: { id: string }) => c.id)).toEqual(['me'])
  })

  it('requires a valid HS256 bearer in jwt mode, and keys history by its subject', async () => {
    const secret = 'a-jwt-secret-of-at-least-32-characters!'
    const s = await server({ auth: { mode: 'jwt', jwtSecret: secret, issuer: 'shop' } })
    const sign = (sub: string, key = secret, issuer = 'shop') =>
      new SignJWT({})
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(sub)
        .setIssuer(issuer)
        .setExpirationTime('5m')
        .sign(new TextEncoder().encode(key))
    const anonymous = await json(s, '/api/conversations')
    expect(anonymous.status).toBe(401)
    expect(await anonymous.json()).toMatchObject({ error: { code: ErrorCode.Unauthorized } })
    for (const token of [
      await sign('carol', 'another-secret-of-at-least-32-characters'),
      await sign('carol', secret, 'other'),
    ]) {
      expect(
        (await json(s, '/api/conversations', { headers: { authorization: `Bearer ${token}` } })).status,
      ).toBe(401)
    }
    const carol = { authorization: `Bearer ${await sign('carol')}` }
    await (await ask(s, { prompt: 'as carol', provider: 'fake', conversationId: 'cc' }, carol)).end()
    const list = await (await json(s, '/api/conversations', { headers: carol })).json()
    expect(list.conversations.map((c: { id: string }) => c.id)).toEqual(['cc'])
    const backend = await json(s, '/api/conversations', {
      headers: { authorization: `Bearer ${PUBLISH_SECRET}` },
    })
    expect(backend.status).toBe(200)
  })
})
