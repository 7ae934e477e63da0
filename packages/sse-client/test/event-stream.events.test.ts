import { describe, expect, it } from 'vitest'
import type { ServerSentEvent, StreamError, TypedEvent } from '../src'
import { useSseServer } from './support/harness'
import { deliver, nextTransportError } from './support/stream-probes'

const t = useSseServer()
const quick = { retry: { initialMs: 1 } }

type Payments = {
  status: { state: string }
  message: { note: string }
  done: { reason: string }
  error: { code: string }
}

describe('createEventStream events', () => {
  it('decodes JSON by default and hands listeners the raw event too', async () => {
    const stream = t.open<Payments>('/events', quick)
    const exchange = await t.server.request(0)
    const got = await deliver(
      stream,
      exchange,
      'id: 3\nevent: status\ndata: {"state":\ndata: "paid"}\n\n',
      'status',
    )
    expect(got.data).toEqual({ state: 'paid' })
    expect(got.event).toEqual({ event: 'status', data: '{"state":\n"paid"}', id: '3' })
  })

  it('uses a custom decoder, or passes raw text with decode: false', async () => {
    const seen: ServerSentEvent[] = []
    const upper = t.open('/upper', {
      ...quick,
      decode: (text, event) => (seen.push(event), text.toUpperCase()),
    })
    const raw = t.open('/raw', { ...quick, decode: false })
    const [first, second] = [await t.server.request(0), await t.server.request(1)]
    const [upperExchange, rawExchange] = first.path === '/upper' ? [first, second] : [second, first]
    expect((await deliver(upper, upperExchange, 'data: abc\n\n')).data).toBe('ABC')
    expect(seen).toEqual([{ event: 'message', data: 'abc', id: undefined }])
    expect((await deliver(raw, rawExchange, 'data: {"a":1}\n\n')).data).toBe('{"a":1}')
  })

  it('reports a decode failure without calling the listener and keeps reading', async () => {
    const stream = t.open<Payments>('/events', quick)
    const exchange = await t.server.request(0)
    const notes: string[] = []
    stream.on('message', (data) => notes.push(data.note))
    const failure = nextTransportError(stream)
    exchange.send('data: not json\n\n')
    expect(await failure).toMatchObject({ kind: 'decode', fatal: false })
    await deliver(stream, exchange, 'data: {"note":"after"}\n\n')
    expect(notes).toEqual(['after'])
    expect(stream.state).toBe('open')
  })

  it("keeps the server's error event apart from transport failures", async () => {
    const stream = t.open<Payments>('/events', quick)
    const transport: StreamError[] = []
    stream.onTransportError((error) => transport.push(error))
    const serverErrors: Payments['error'][] = []
    stream.on('error', (data) => serverErrors.push(data))
    ;(await t.server.request(0)).send('event: error\ndata: {"code":"quota"}\n\n')
    const finish = await stream.finished
    expect(serverErrors).toEqual([{ code: 'quota' }])
    expect(transport).toEqual([])
    expect(finish).toMatchObject({ reason: 'error', event: { event: 'error' } })
    expect(finish.error).toBeUndefined()
  })

  it('ends at done without reconnecting, and ignores what follows it in the same chunk', async () => {
    const stream = t.open<Payments>('/events', quick)
    const notes: string[] = []
    stream.on('message', (data) => notes.push(data.note))
    const exchange = await t.server.request(0)
    exchange.send('data: {"note":"a"}\n\nevent: done\ndata: {"reason":"stop"}\n\ndata: {"note":"late"}\n\n')
    expect(await stream.finished).toMatchObject({ reason: 'done', event: { event: 'done' } })
    await exchange.closed
    expect(notes).toEqual(['a'])
    expect(t.server.exchanges).toHaveLength(1)
  })

  it('takes terminalEvents from the options: any of them ends with reason done', async () => {
    const stream = t.open('/events', { ...quick, terminalEvents: ['finished'] })
    const first = await t.server.request(0)
    // `done` is an ordinary event now: the stream stays open.
    await deliver(stream, first, 'event: done\ndata: 1\n\n', 'done')
    expect(stream.state).toBe('open')
    first.send('event: finished\ndata: 2\n\n')
    expect(await stream.finished).toMatchObject({ reason: 'done', event: { event: 'finished', data: '2' } })
  })

  it('iterates typed events from the moment iteration starts and ends with the stream', async () => {
    const stream = t.open<Payments>('/events', quick)
    const exchange = await t.server.request(0)
    await deliver(stream, exchange, 'data: {"note":"before"}\n\n')
    const iterator = stream[Symbol.asyncIterator]()
    exchange.send('event: status\ndata: {"state":"paid"}\n\nevent: done\ndata: {"reason":"stop"}\n\n')
    const items: TypedEvent<Payments>[] = []
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) items.push(next.value)
    expect(items.map(({ event, data }) => ({ event, data }))).toEqual([
      { event: 'status', data: { state: 'paid' } },
      { event: 'done', data: { reason: 'stop' } },
    ])
    expect(items[0]?.raw.data).toBe('{"state":"paid"}')
  })

  it('makes the iterator throw the failure that ended the stream', async () => {
    t.server.respond(({ res }) => void res.writeHead(401).end('who are you'))
    const stream = t.open('/events', quick)
    await expect(stream[Symbol.asyncIterator]().next()).rejects.toMatchObject({ kind: 'http', status: 401 })
  })
})
