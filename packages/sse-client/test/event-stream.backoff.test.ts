import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { EventStreamOptions } from '../src'
import { useSseServer } from './support/harness'
import { reply } from './support/sse-server'
import { nextTransportError } from './support/stream-probes'

const t = useSseServer()
let calls = 0

beforeEach(() => {
  calls = 0
  // Only the client's timers are fake; sockets and setImmediate stay real, so requests still flow.
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
  vi.spyOn(Math, 'random').mockReturnValue(0.5)
})
afterEach(() => {
  vi.useRealTimers()
  vi.restoreAllMocks()
})

const open = (options: EventStreamOptions) =>
  t.open('/events', { idleTimeoutMs: 0, fetch: (input, init) => (calls++, fetch(input, init)), ...options })

/** The client waits exactly `ms` after its `calls`-th request before sending the next. */
async function waitsExactly(ms: number) {
  const before = calls
  await vi.advanceTimersByTimeAsync(ms - 1)
  // The next request would start within microtasks of its timer; a real turn of the loop lets them run.
  await new Promise(setImmediate)
  expect(calls).toBe(before)
  await vi.advanceTimersByTimeAsync(1)
  await t.server.request(before)
}

describe('createEventStream back-off', () => {
  it('waits a random part (full jitter) of initialMs × factor^n, capped at maxMs', async () => {
    vi.mocked(Math.random).mockReturnValueOnce(0.1)
    t.server.respond(reply(503, 'busy'))
    const stream = open({ retry: { initialMs: 100, factor: 3, maxMs: 1000 } })
    for (const delay of [10, 150, 450, 500, 500]) {
      const error = await nextTransportError(stream)
      expect(error).toMatchObject({ kind: 'http', status: 503, fatal: false, retryInMs: delay })
      await waitsExactly(delay)
    }
  })

  it("takes the server's retry: as the base", async () => {
    t.server.respond(
      ({ res }) => void res.writeHead(200, { 'content-type': 'text/event-stream' }).end('retry: 400\n\n'),
    )
    const stream = open({ retry: { initialMs: 100, factor: 2 } })
    expect((await nextTransportError(stream)).retryInMs).toBe(200)
    await waitsExactly(200)
    expect((await nextTransportError(stream)).retryInMs).toBe(400)
  })

  it('starts over from initialMs after a connection that delivered an event', async () => {
    t.server.respond(reply(503), reply(503), ({ res }) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' }).end('data: 1\n\n')
    })
    const stream = open({ retry: { initialMs: 100, factor: 2 } })
    for (const delay of [50, 100, 50]) {
      expect((await nextTransportError(stream)).retryInMs).toBe(delay)
      await waitsExactly(delay)
    }
  })

  it('gives up after maxAttempts failed reconnections in a row, with the last failure', async () => {
    t.server.respond(reply(502, 'bad gateway'))
    const stream = open({ retry: { initialMs: 10, maxAttempts: 2 } })
    for (const delay of [5, 10]) {
      await nextTransportError(stream)
      await waitsExactly(delay)
    }
    const finish = await stream.finished
    expect(finish).toMatchObject({
      reason: 'retries-exhausted',
      error: { status: 502, body: 'bad gateway', fatal: true },
    })
    expect(calls).toBe(3)
  })

  it('does not reconnect with retry: false', async () => {
    t.server.respond(reply(503))
    const stream = open({ retry: false })
    const finish = await stream.finished
    expect(finish).toMatchObject({ reason: 'retries-exhausted', error: { status: 503 } })
    expect(calls).toBe(1)
    expect(vi.getTimerCount()).toBe(0)
  })

  it('honours Retry-After on 429 instead of the back-off', async () => {
    t.server.respond(reply(429, 'slow down', { 'retry-after': '2' }), reply(503))
    const stream = open({ retry: { initialMs: 100 } })
    expect(await nextTransportError(stream)).toMatchObject({
      status: 429,
      body: 'slow down',
      retryInMs: 2000,
    })
    await waitsExactly(2000)
    expect((await nextTransportError(stream)).retryInMs).toBe(100)
  })

  it('honours Retry-After given as an HTTP date', async () => {
    const at = new Date(Date.now() + 5_000).toUTCString()
    t.server.respond(reply(503, 'maintenance', { 'retry-after': at }), reply(503))
    const stream = open({ retry: { baseMs: 100 } })
    const { retryInMs } = await nextTransportError(stream)
    // The date has whole seconds: between 4 and 5 s from now.
    expect(retryInMs).toBeGreaterThan(3_900)
    expect(retryInMs).toBeLessThanOrEqual(5_000)
    await waitsExactly(retryInMs!)
    expect((await nextTransportError(stream)).retryInMs).toBe(100)
  })

  it("takes the kit's retry shape: attempts, baseMs and jitter", async () => {
    t.server.respond(reply(502, 'bad gateway'))
    const stream = open({ retry: { baseMs: 100, attempts: 2, jitter: 'none' } })
    for (const delay of [100, 200]) {
      expect((await nextTransportError(stream)).retryInMs).toBe(delay)
      await waitsExactly(delay)
    }
    expect(await stream.finished).toMatchObject({ reason: 'retries-exhausted' })
    expect(calls).toBe(3)
  })
})
