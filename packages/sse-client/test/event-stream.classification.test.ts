import { describe, expect, it } from 'vitest'
import { StreamError } from '../src'
import { useSseServer } from './support/harness'
import { hangUp, openStream, reply } from './support/sse-server'
import { deliver, nextTransportError } from './support/stream-probes'

const t = useSseServer()
const quick = { retry: { initialMs: 1 } }

describe('createEventStream classification', () => {
  it.each([500, 502, 503, 408, 429])(
    'retries HTTP %i, reporting it with its status and body',
    async (status) => {
      t.server.respond(reply(status, `status ${status}`), openStream)
      const stream = t.open('/events', quick)
      const error = await nextTransportError(stream)
      expect(error).toBeInstanceOf(StreamError)
      expect(error).toMatchObject({ kind: 'http', status, body: `status ${status}`, fatal: false })
      await t.server.request(1)
    },
  )

  it('retries a connection cut before any response', async () => {
    t.server.respond(hangUp, openStream)
    const stream = t.open('/events', quick)
    expect(await nextTransportError(stream)).toMatchObject({ kind: 'network', fatal: false })
    await t.server.request(1)
  })

  it('retries a body cut mid-stream, resuming after the last event', async () => {
    const stream = t.open('/events', quick)
    const first = await t.server.request(0)
    await deliver(stream, first, 'id: 7\ndata: 1\n\n')
    const error = nextTransportError(stream)
    first.res.socket?.destroy()
    expect(await error).toMatchObject({ kind: 'network', fatal: false })
    expect((await t.server.request(1)).headers['last-event-id']).toBe('7')
  })

  it.each([400, 401, 403, 404, 410])(
    'stops at HTTP %i with a typed error carrying status and body',
    async (status) => {
      t.server.respond(reply(status, '{"error":"no"}', { 'content-type': 'application/json' }))
      let calls = 0
      const stream = t.open('/events', { ...quick, fetch: (input, init) => (calls++, fetch(input, init)) })
      const reported = nextTransportError(stream)
      const finish = await stream.finished
      expect(finish.reason).toBe('fatal')
      expect(finish.error).toBeInstanceOf(StreamError)
      expect(finish.error).toMatchObject({ kind: 'http', status, body: '{"error":"no"}', fatal: true })
      expect(await reported).toBe(finish.error)
      expect(calls).toBe(1)
    },
  )

  it('stops at a 200 that is not text/event-stream', async () => {
    t.server.respond(reply(200, '<html>login</html>', { 'content-type': 'text/html' }))
    const finish = await t.open('/events', quick).finished
    expect(finish).toMatchObject({
      reason: 'fatal',
      error: { kind: 'content-type', status: 200, body: '<html>login</html>', fatal: true },
    })
  })

  it('stops at 204: the server says the stream is gone', async () => {
    t.server.respond(reply(204))
    const finish = await t.open('/events', quick).finished
    expect(finish).toMatchObject({ reason: 'fatal', error: { kind: 'no-content', status: 204, fatal: true } })
  })

  it('accepts text/event-stream with parameters in any case', async () => {
    t.server.respond(
      reply(200, 'event: done\ndata: {}\n\n', { 'content-type': 'Text/Event-Stream; charset=UTF-8' }),
    )
    expect((await t.open('/events', quick).finished).reason).toBe('done')
  })
})
