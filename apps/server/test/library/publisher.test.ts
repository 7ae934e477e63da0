import { createServer } from 'node:net'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createPublisher, PublishError, type PublisherOptions } from '../../src/publisher'
import { PUBLISH_SECRET, startTestServer, type TestServer } from '../support/server'
import { SseReader } from '../support/sse-reader'
import { startFront, type Front } from './support/front'

let kit: TestServer
let front: Front

beforeAll(async () => {
  kit = await startTestServer()
  front = await startFront(kit.url)
})
afterAll(async () => {
  await front.close()
  await kit.close()
})
beforeEach(() => void front.paths.splice(0))

const publisher = (options: Partial<PublisherOptions> = {}) =>
  createPublisher({ baseUrl: front.url, secret: PUBLISH_SECRET, retryDelayMs: 1, ...options })

async function failure(call: Promise<unknown>): Promise<PublishError> {
  const outcome = await call.then(
    () => new Error('the call succeeded'),
    (error: unknown) => error,
  )
  if (!(outcome instanceof PublishError)) throw outcome
  return outcome
}

const summary = ({ status, code, retriable }: PublishError) => ({ status, code, retriable })

async function subscribe(key: string): Promise<SseReader> {
  const connected = kit.registry.stats().connections
  const reader = await SseReader.open(kit.eventsUrl(key))
  await expect.poll(() => kit.registry.stats().connections).toBe(connected + 1)
  return reader
}

const closedPort = (): Promise<number> =>
  new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number }
      probe.close(() => resolve(port))
    })
  })

describe('createPublisher against the real server', () => {
  it('mints a token, publishes before and after the browser subscribes, and completes once', async () => {
    const pub = publisher()
    expect(await pub.publish('order-1', { state: 'created' }, { event: 'status' })).toEqual({
      id: 1,
      delivered: 0,
    })
    const { token, expiresAt } = await pub.mintToken('order-1', 60)
    expect(Date.parse(expiresAt) - Date.now()).toBeLessThanOrEqual(60_000)
    const reader = await SseReader.open(kit.eventsUrl('order-1', token))
    await reader.waitForEvents(1)
    expect(await pub.publish('order-1', { state: 'paid' }, { event: 'status' })).toEqual({
      id: 2,
      delivered: 1,
    })
    expect(await pub.complete('order-1')).toBe(true)
    expect(await pub.complete('order-1')).toBe(false)
    await reader.waitForEnd()
    expect(reader.events.map((e) => [e.id, e.event])).toEqual([
      ['1', 'status'],
      ['2', 'status'],
      ['3', 'done'],
    ])
    expect(reader.data).toEqual([{ state: 'created' }, { state: 'paid' }, { reason: 'complete' }])
  })

  it('ends a channel with the error it is given', async () => {
    const reader = await subscribe('job-7')
    expect(await publisher().error('job-7', { code: 'job_failed', message: 'disk full' })).toBe(true)
    await reader.waitForEnd()
    expect(reader.events.map((e) => e.event)).toEqual(['error'])
    expect(reader.data).toEqual([{ code: 'job_failed', message: 'disk full', retriable: false }])
  })

  it("throws the server's refusals as typed errors and retries none of them", async () => {
    const pub = publisher()
    await pub.complete('ended-1')
    front.paths.splice(0)
    const refusals = await Promise.all([
      failure(publisher({ secret: 'not-the-secret' }).publish('k-1', 1)),
      failure(pub.publish('not a key!', 1)),
      failure(pub.publish('k-1', 1, { event: 'Not An Event' })),
      failure(pub.publish('ended-1', 1)),
      failure(pub.publish('k-1', 'x'.repeat(200 * 1024))),
    ])
    expect(refusals.map(summary)).toEqual([
      { status: 401, code: 'unauthorized', retriable: false },
      { status: 400, code: 'invalid_key', retriable: false },
      { status: 400, code: 'validation_failed', retriable: false },
      { status: 409, code: 'channel_closed', retriable: false },
      { status: 413, code: 'payload_too_large', retriable: false },
    ])
    expect(refusals[0]?.message).toBe('wrong publish secret')
    expect(front.paths).toHaveLength(5)
  })
})

describe('createPublisher retry rules', () => {
  it('retries 503, 429 and 504, where nothing was stored, and delivers exactly once', async () => {
    const reader = await subscribe('retry-1')
    front.script({ status: 503 }, { status: 429, headers: { 'retry-after': '0' } }, { status: 504 })
    expect(await publisher().publish('retry-1', 'once')).toEqual({ id: 1, delivered: 1 })
    expect(front.paths).toEqual(Array(4).fill('/api/events/retry-1'))
    await kit.registry.complete('retry-1')
    await reader.waitForEnd()
    expect(reader.events.map((e) => [e.event, e.data])).toEqual([
      ['message', '"once"'],
      ['done', '{"reason":"complete"}'],
    ])
  })

  it('gives up after `retries` with the last refusal, still marked retriable', async () => {
    front.script({ status: 502 }, { status: 502 }, { status: 502 })
    const error = await failure(publisher({ retries: 2 }).publish('retry-2', 1))
    expect(summary(error)).toEqual({ status: 502, code: 'http_502', retriable: true })
    expect(front.paths).toHaveLength(3)
    expect(await kit.registry.state('retry-2')).toBeNull()
  })

  it('does not retry what the server may have stored: a 500, a reset connection, a timeout', async () => {
    const body = JSON.stringify({ error: { code: 'internal', message: 'internal error' } })
    front.script({ status: 500, headers: { 'content-type': 'application/json' }, body }, 'reset', 'hang')
    const pub = publisher({ timeoutMs: 200 })
    expect(summary(await failure(pub.publish('k-2', 1)))).toEqual({
      status: 500,
      code: 'internal',
      retriable: false,
    })
    expect(summary(await failure(pub.publish('k-2', 1)))).toEqual({
      status: 0,
      code: 'network_error',
      retriable: false,
    })
    expect(summary(await failure(pub.publish('k-2', 1)))).toEqual({
      status: 0,
      code: 'timeout',
      retriable: false,
    })
    expect(front.paths).toHaveLength(3)
  })

  it('retries a refused connection, which never reached any server', async () => {
    let attempts = 0
    const error = await failure(
      createPublisher({
        baseUrl: `http://127.0.0.1:${await closedPort()}`,
        secret: PUBLISH_SECRET,
        retries: 2,
        retryDelayMs: 1,
        fetch: (input, init) => {
          attempts++
          return fetch(input, init)
        },
      }).publish('k-3', 1),
    )
    expect(summary(error)).toEqual({ status: 0, code: 'network_error', retriable: true })
    expect(error.message).toContain('ECONNREFUSED')
    expect(attempts).toBe(3)
  })

  it('throws a Retry-After longer than maxRetryDelayMs at once, with the delay asked for', async () => {
    front.script({ status: 429, headers: { 'retry-after': '120' } })
    const error = await failure(publisher({ maxRetryDelayMs: 5_000 }).publish('k-4', 1))
    expect({ ...summary(error), retryAfterMs: error.retryAfterMs }).toEqual({
      status: 429,
      code: 'http_429',
      retriable: true,
      retryAfterMs: 120_000,
    })
    expect(front.paths).toHaveLength(1)
  })

  it("takes the kit's retry shape, and a Retry-After date past retry.maxMs is thrown at once", async () => {
    front.script({ status: 503 }, { status: 503 })
    const error = await failure(publisher({ retry: { attempts: 1, baseMs: 1 } }).publish('k-6', 1))
    expect(summary(error)).toEqual({ status: 503, code: 'http_503', retriable: true })
    expect(front.paths).toHaveLength(2)
    front.paths.splice(0)
    const later = new Date(Date.now() + 60_000).toUTCString()
    front.script({ status: 503, headers: { 'retry-after': later } })
    const dated = await failure(publisher({ retry: { maxMs: 5_000 } }).publish('k-6', 1))
    expect(dated.retryAfterMs).toBeGreaterThan(58_000)
    expect(front.paths).toHaveLength(1)
  })

  it('points at the baseUrl when a 2xx answer is not the kit’s JSON', async () => {
    front.script({ status: 200, headers: { 'content-type': 'text/html' }, body: '<!doctype html>' })
    const error = await failure(publisher().publish('k-5', 1))
    expect(summary(error)).toEqual({ status: 200, code: 'invalid_response', retriable: false })
    expect(error.message).toContain('is baseUrl the kit')
  })
})
