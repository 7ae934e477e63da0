import { describe, expect, it } from 'vitest'
import { createEventStream, type StreamState } from '../src'
import { useSseServer } from './support/harness'
import { reply } from './support/sse-server'
import { nextTransportError, reach, recordStates } from './support/stream-probes'

const t = useSseServer()
const quick = { retry: { initialMs: 1 } }

describe('createEventStream abort and close', () => {
  it('closes at once, without a request, on an already-aborted signal', async () => {
    let calls = 0
    const stream = createEventStream('http://127.0.0.1:9/never', {
      signal: AbortSignal.abort(),
      fetch: () => (calls++, Promise.reject(new Error('no request expected'))),
    })
    expect(stream.state).toBe('closed')
    expect(await stream.finished).toEqual({ reason: 'aborted' })
    expect(calls).toBe(0)
  })

  it('closes with reason aborted when the signal aborts mid-stream, hanging up the connection', async () => {
    const controller = new AbortController()
    const stream = t.open('/events', { ...quick, signal: controller.signal })
    const exchange = await t.server.request(0)
    await reach(stream, 'open')
    controller.abort()
    expect(await stream.finished).toEqual({ reason: 'aborted' })
    await exchange.closed
    expect(t.server.exchanges).toHaveLength(1)
  })

  it('makes close() idempotent: one closed state, one finish, and a later abort changes nothing', async () => {
    const controller = new AbortController()
    const stream = t.open('/events', { ...quick, signal: controller.signal })
    const states = recordStates(stream)
    const exchange = await t.server.request(0)
    await reach(stream, 'open')
    stream.close()
    stream.close()
    controller.abort()
    expect(await stream.finished).toEqual({ reason: 'closed' })
    expect(states.filter((state: StreamState) => state === 'closed')).toHaveLength(1)
    await exchange.closed
  })

  it('reports close() even while waiting out the back-off', async () => {
    t.server.respond(reply(503))
    const stream = t.open('/events', { retry: { initialMs: 60_000, factor: 1 } })
    await nextTransportError(stream)
    stream.close()
    expect(await stream.finished).toEqual({ reason: 'closed' })
    expect(stream.state).toBe('closed')
  })

  it('keeps the first reason: close() after done leaves done', async () => {
    t.server.respond(reply(200, 'event: done\ndata: {}\n\n', { 'content-type': 'text/event-stream' }))
    const stream = t.open('/events', quick)
    await reach(stream, 'closed')
    stream.close()
    expect((await stream.finished).reason).toBe('done')
  })
})
