import { describe, expect, it } from 'vitest'
import type { EventStream, ReconnectContext } from '../src'
import { useSseServer } from './support/harness'
import { deliver, reach } from './support/stream-probes'

const t = useSseServer()
// Back-off of at most 1 ms: these tests are about what is sent, not when (event-stream.backoff covers that).
const quick = { retry: { initialMs: 1 } }

describe('createEventStream reconnection', () => {
  it('reconnects when a stream ends without a terminal event and resumes after the last dispatched id', async () => {
    const stream = t.open('/events', quick)
    const first = await t.server.request(0)
    expect(first.headers['last-event-id']).toBeUndefined()
    expect(first.headers.accept).toBe('text/event-stream')

    expect((await deliver(stream, first, 'id: 1\ndata: "a"\n\n')).data).toBe('a')
    expect(stream.lastEventId).toBe('1')
    // The id of an event that never completes must not become the resume point.
    first.send('id: 2\ndata: "lost"\n')
    first.res.end()

    const second = await t.server.request(1)
    expect(second.headers['last-event-id']).toBe('1')
    expect(stream.lastEventId).toBe('1')
    expect(await deliver(stream, second, 'id: 2\ndata: "b"\n\n')).toMatchObject({
      data: 'b',
      event: { id: '2' },
    })
    expect(stream.state).toBe('open')
  })

  it('takes an id-only block as the resume point, and starts from options.lastEventId', async () => {
    t.open('/events', { ...quick, lastEventId: '41' })
    const first = await t.server.request(0)
    expect(first.headers['last-event-id']).toBe('41')
    first.send('id: 42\n\n')
    first.res.end()
    expect((await t.server.request(1)).headers['last-event-id']).toBe('42')
  })

  it('sends a non-ASCII id as its UTF-8 bytes, as EventSource does', async () => {
    const stream = t.open('/events', quick)
    const first = await t.server.request(0)
    await deliver(stream, first, 'id: é-1\ndata: 1\n\n')
    first.res.end()
    const header = String((await t.server.request(1)).headers['last-event-id'])
    expect(Buffer.from(header, 'latin1').toString('utf8')).toBe('é-1')
  })

  it('never holds two connections: the previous request is aborted before the next starts', async () => {
    const signals: AbortSignal[] = []
    const abortedBeforeNext: boolean[] = []
    const stream = t.open('/events', {
      ...quick,
      // The server stays silent, so only the client can end each connection (by its idle timeout).
      idleTimeoutMs: 50,
      fetch: (input, init) => {
        const previous = signals.at(-1)
        if (previous) abortedBeforeNext.push(previous.aborted)
        signals.push(init!.signal!)
        return fetch(input, init)
      },
    })
    const first = await t.server.request(0)
    await t.server.request(2)
    stream.close()
    await first.closed
    expect(abortedBeforeNext.slice(0, 2)).toEqual([true, true])
  })

  it('lets the reconnect hook turn a POST into a GET of the resume URL; the POST is never sent again', async () => {
    const contexts: ReconnectContext[] = []
    const stream = t.open('/chat', {
      ...quick,
      method: 'POST',
      body: JSON.stringify({ prompt: 'hi' }),
      headers: { 'content-type': 'application/json' },
      reconnect: (ctx) => {
        contexts.push(structuredClone({ ...ctx, error: ctx.error?.kind }) as unknown as ReconnectContext)
        return { url: `${t.server.url}/chat/streams/s1`, method: 'GET', body: null }
      },
    })
    const post = await t.server.request(0)
    expect(post).toMatchObject({ method: 'POST', path: '/chat', body: '{"prompt":"hi"}' })
    post.send('id: 1\nevent: start\ndata: {"streamId":"s1"}\n\n')
    post.res.end()

    const resume = await t.server.request(1)
    expect(resume).toMatchObject({ method: 'GET', path: '/chat/streams/s1', body: '' })
    expect(resume.headers['last-event-id']).toBe('1')
    resume.send('id: 2\ndata: {"delta":"x"}\n\n')
    resume.res.end()

    const again = await t.server.request(2)
    expect(again).toMatchObject({ method: 'GET', path: '/chat/streams/s1' })
    expect(again.headers['last-event-id']).toBe('2')
    again.send('id: 3\nevent: done\ndata: {"reason":"stop"}\n\n')
    expect((await stream.finished).reason).toBe('done')

    expect(t.server.exchanges.filter((e) => e.method === 'POST')).toHaveLength(1)
    expect(contexts).toMatchObject([
      { attempt: 1, lastEventId: '1', lastEvent: { event: 'start' }, request: { method: 'POST' } },
      { attempt: 1, lastEventId: '2', lastEvent: { event: 'message' }, request: { method: 'GET' } },
    ])
  })

  it('sends nothing more once the reconnect hook closes the stream', async () => {
    const urls: string[] = []
    const stream: EventStream = t.open('/chat', {
      ...quick,
      method: 'POST',
      fetch: (input, init) => (urls.push(String(input)), fetch(input, init)),
      reconnect: () => void stream.close(),
    })
    ;(await t.server.request(0)).res.end()
    expect((await stream.finished).reason).toBe('closed')
    // A request would start within the same turn of the event loop as the hook; one turn later it has not.
    await new Promise(setImmediate)
    expect(urls).toHaveLength(1)
  })

  it('goes connecting → open → reconnecting → open', async () => {
    const stream = t.open('/events', quick)
    const states: string[] = [stream.state]
    stream.onStateChange((state) => states.push(state))
    ;(await t.server.request(0)).res.end()
    await t.server.request(1)
    await reach(stream, 'open')
    expect(states).toEqual(['connecting', 'open', 'reconnecting', 'open'])
  })
})
