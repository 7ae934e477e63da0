import { apiErrorSchema, publishResponseSchema, tokenResponseSchema } from '@kit/protocol/schemas'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mintSubscribeToken } from '../../src/index'
import { startTestServer, TOKEN_SECRET, type TestServer } from '../support/server'
import { SseReader } from '../support/sse-reader'

let server: TestServer

beforeAll(async () => {
  server = await startTestServer({ http: { bodyLimitBytes: 2048 } })
})

afterAll(() => server.close())

async function expectApiError(res: Response, status: number, code: string, message?: RegExp): Promise<void> {
  expect(res.status).toBe(status)
  expect(res.headers.get('content-type')).toMatch(/^application\/json/)
  const body = apiErrorSchema.parse(await res.json())
  expect(body.error.code).toBe(code)
  if (message) expect(body.error.message).toMatch(message)
}

const subscribe = (path: string, headers: Record<string, string> = {}) =>
  fetch(server.url + path, { headers })

describe('POST /api/events/:key', () => {
  it('publishes and answers {id, delivered}', async () => {
    const reader = await SseReader.open(server.eventsUrl('pub-1'))
    await expect.poll(() => server.registry.stats().connections).toBe(1)
    const res = await server.post('/api/events/pub-1', { event: 'status', data: { state: 'paying' } })
    expect(res.status).toBe(200)
    expect(publishResponseSchema.parse(await res.json())).toEqual({ id: 1, delivered: 1 })
    expect(await server.publish('pub-1', 'no name')).toEqual({ id: 2, delivered: 1 })
    expect(await reader.waitForEvents(2)).toEqual([
      { id: '1', event: 'status', data: '{"state":"paying"}' },
      { id: '2', event: 'message', data: '"no name"' },
    ])
    reader.close()
  })

  it('needs the publish secret', async () => {
    await expectApiError(
      await server.post('/api/events/pub-2', { data: 1 }, null),
      401,
      'unauthorized',
      /missing/,
    )
    await expectApiError(
      await server.post('/api/events/pub-2', { data: 1 }, 'Bearer not-the-secret'),
      401,
      'unauthorized',
      /wrong/,
    )
    for (const path of ['/api/events/pub-2/complete', '/api/events/pub-2/error', '/api/events/tokens']) {
      await expectApiError(await server.post(path, { key: 'pub-2' }, null), 401, 'unauthorized')
    }
    expect(await server.registry.state('pub-2')).toBeNull()
  })

  it('rejects invalid keys with 400 invalid_key', async () => {
    for (const key of ['has%20space', 'x'.repeat(129), 'caf%C3%A9', 'a.b']) {
      await expectApiError(await server.post(`/api/events/${key}`, { data: 1 }), 400, 'invalid_key')
      await expectApiError(await subscribe(`/api/events/${key}?token=x`), 400, 'invalid_key')
    }
  })

  it('rejects bad bodies naming the field, and reserved event names', async () => {
    await expectApiError(
      await server.post('/api/events/pub-3', { event: 'status' }),
      400,
      'validation_failed',
      /data/,
    )
    await expectApiError(
      await server.post('/api/events/pub-3', { event: 'done', data: 1 }),
      400,
      'validation_failed',
      /event: .*reserved/,
    )
    await expectApiError(
      await server.post('/api/events/pub-3', { event: 'Bad Name', data: 1 }),
      400,
      'validation_failed',
      /event/,
    )
    const raw = await fetch(`${server.url}/api/events/pub-3`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.config.publishSecret}`, 'content-type': 'application/json' },
      body: '{"data": ',
    })
    await expectApiError(raw, 400, 'bad_request', /JSON/)
  })

  it('answers 413 to a body over the limit', async () => {
    await expectApiError(
      await server.post('/api/events/pub-4', { data: 'x'.repeat(4096) }),
      413,
      'payload_too_large',
    )
    expect(await server.registry.state('pub-4')).toBeNull()
  })

  it('ends channels with /complete and /error, idempotently, and refuses sends afterwards with 409', async () => {
    const reader = await SseReader.open(server.eventsUrl('pub-5'))
    await server.publish('pub-5', 1)
    const first = await server.post('/api/events/pub-5/complete', {})
    expect(await first.json()).toEqual({ ended: true })
    expect(await (await server.post('/api/events/pub-5/complete')).json()).toEqual({ ended: false })
    expect(await (await server.post('/api/events/pub-5/error', {})).json()).toEqual({ ended: false })
    await expectApiError(await server.post('/api/events/pub-5', { data: 2 }), 409, 'channel_closed')
    await reader.waitForEnd()
    expect(reader.events.map((e) => e.event)).toEqual(['message', 'done'])

    const failing = await SseReader.open(server.eventsUrl('pub-6'))
    const res = await server.post('/api/events/pub-6/error', {
      code: 'payment_failed',
      message: 'card declined',
    })
    expect(await res.json()).toEqual({ ended: true })
    await failing.waitForEnd()
    expect(failing.data).toEqual([{ code: 'payment_failed', message: 'card declined', retriable: false }])
  })
})

describe('subscribe tokens', () => {
  it('mints tokens over HTTP with the publish secret, bound to one key', async () => {
    const res = await server.post('/api/events/tokens', { key: 'tok-1', ttlSeconds: 30 })
    expect(res.status).toBe(201)
    const { token, expiresAt } = tokenResponseSchema.parse(await res.json())
    expect(Date.parse(expiresAt) - Date.now()).toBeGreaterThan(25_000)
    expect(Date.parse(expiresAt) - Date.now()).toBeLessThanOrEqual(30_000)
    const ok = await SseReader.open(server.eventsUrl('tok-1', token))
    expect(ok.status).toBe(200)
    ok.close()
    await expectApiError(await subscribe(`/api/events/tok-2?token=${token}`), 401, 'unauthorized', /invalid/)
  })

  it('uses the configured default TTL when none is given', async () => {
    const res = await server.post('/api/events/tokens', { key: 'tok-3' })
    const { expiresAt } = tokenResponseSchema.parse(await res.json())
    expect(Math.round((Date.parse(expiresAt) - Date.now()) / 1000)).toBeGreaterThan(295)
    await expectApiError(
      await server.post('/api/events/tokens', { key: 'bad key' }),
      400,
      'validation_failed',
      /key/,
    )
  })

  it('accepts the token as ?token= or Authorization: Bearer', async () => {
    const token = server.token('tok-4')
    const viaHeader = await SseReader.open(`${server.url}/api/events/tok-4`, {
      authorization: `Bearer ${token}`,
    })
    expect(viaHeader.status).toBe(200)
    viaHeader.close()
  })

  it('answers 401 to a missing, malformed, forged or expired token', async () => {
    await expectApiError(await subscribe('/api/events/tok-5'), 401, 'unauthorized', /missing/)
    await expectApiError(await subscribe('/api/events/tok-5?token=garbage'), 401, 'unauthorized', /malformed/)
    const other = mintSubscribeToken('tok-5', 60, { secret: 'another-secret-0123456789-0123456789' }).token
    await expectApiError(await subscribe(`/api/events/tok-5?token=${other}`), 401, 'unauthorized', /invalid/)
    const expired = mintSubscribeToken('tok-5', 1, { secret: TOKEN_SECRET, now: Date.now() - 5000 }).token
    await expectApiError(
      await subscribe(`/api/events/tok-5?token=${expired}`),
      401,
      'unauthorized',
      /expired/,
    )
    expect(server.registry.stats().connections).toBe(0)
  })
})

describe('unknown routes', () => {
  it('answers JSON 404 under /api', async () => {
    await expectApiError(
      await fetch(`${server.url}/api/nothing-here?token=secret`),
      404,
      'not_found',
      /nothing-here$/,
    )
  })
})
