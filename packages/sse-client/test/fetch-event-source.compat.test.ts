// @kit/sse-client/fetch-event-source against @microsoft/fetch-event-source 2.0.1 on the same real server:
// the same callbacks in the same order for the flows its users rely on, and right where the original is not.
import { fetchEventSource as original } from '@microsoft/fetch-event-source'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { StreamError } from '../src'
import { fetchEventSource, type FetchEventSourceInit } from '../src/fetch-event-source'
import { useSseServer } from './support/harness'
import { hangUp, openStream, reply, type Exchange } from './support/sse-server'

const t = useSseServer()
const aborts: AbortController[] = []
afterEach(() => {
  for (const controller of aborts.splice(0)) controller.abort()
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
})

type Impl = typeof fetchEventSource
const implementations: Array<[string, Impl]> = [
  ['@microsoft/fetch-event-source', original as Impl],
  ['@kit/sse-client/fetch-event-source', fetchEventSource],
]

/**
 * Runs `impl` with every callback logged; `init` callbacks still decide what happens. `onopen: undefined`
 * keeps the implementation's own check of the response (and leaves `open` out of the log).
 */
function run(impl: Impl, init: FetchEventSourceInit = {}) {
  const log: unknown[] = []
  const controller = new AbortController()
  aborts.push(controller)
  const settled = impl(t.server.url + '/events', {
    openWhenHidden: true,
    signal: controller.signal,
    ...init,
    onopen:
      'onopen' in init
        ? init.onopen
        : async (response) => {
            log.push(['open', response.status])
          },
    onmessage: (ev) => (log.push(['message', { ...ev }]), init.onmessage?.(ev)),
    onclose: () => (log.push(['close']), init.onclose?.()),
    onerror: (err) => (log.push(['error']), init.onerror?.(err)),
  }).then(
    () => 'resolved',
    (err: unknown) => err,
  )
  return { log, settled, controller }
}

/** Runs the same scenario on each implementation in turn, on a fresh count of requests. */
async function sideBySide(
  init: FetchEventSourceInit,
  play: (request: (n: number) => Promise<Exchange>) => Promise<void>,
) {
  const results: Array<{ log: unknown[]; outcome: unknown }> = []
  for (const [, impl] of implementations) {
    const first = t.server.exchanges.length
    const result = run(impl, init)
    await play((n) => t.server.request(first + n))
    results.push({ log: result.log, outcome: await result.settled })
  }
  return results as [theirs: (typeof results)[number], ours: (typeof results)[number]]
}

describe('fetchEventSource: the same as the original in normal flows', () => {
  // The original calls window.fetch and window.setTimeout, and document.removeEventListener whatever
  // openWhenHidden says.
  const withWindow = () => {
    vi.stubGlobal('window', globalThis)
    vi.stubGlobal('document', new EventTarget())
  }

  it('opens, delivers messages with id, event, data and retry, then closes and resolves', async () => {
    withWindow()
    const [theirs, ours] = await sideBySide({}, async (request) => {
      const exchange = await request(0)
      exchange.send('retry: 3000\nid: 1\ndata: a\ndata: b\n\nid: 2\nevent: status\ndata: {"s":1}\n\n')
      exchange.res.end()
    })
    expect(ours).toEqual({
      log: [
        ['open', 200],
        ['message', { id: '1', event: '', data: 'a\nb', retry: 3000 }],
        ['message', { id: '2', event: 'status', data: '{"s":1}' }],
        ['close'],
      ],
      outcome: 'resolved',
    })
    expect(ours).toEqual(theirs)
  })

  it("retries after onerror's interval, sending Last-Event-ID", async () => {
    withWindow()
    const ids: unknown[] = []
    let received = () => {}
    const init = { onerror: () => 1, onmessage: () => received() }
    const [theirs, ours] = await sideBySide(init, async (request) => {
      const first = await request(0)
      // Cut only once the client has the event, so both see the same bytes.
      const got = new Promise<void>((resolve) => (received = resolve))
      first.send('id: 1\ndata: a\n\n')
      await got
      first.res.socket?.destroy()
      const second = await request(1)
      ids.push(second.headers['last-event-id'])
      second.send('id: 2\ndata: b\n\n')
      second.res.end()
    })
    expect(ids).toEqual(['1', '1'])
    expect(ours.outcome).toBe('resolved')
    expect(ours.log.filter((entry) => Array.isArray(entry) && entry[0] !== 'message')).toEqual([
      ['open', 200],
      ['error'],
      ['open', 200],
      ['close'],
    ])
    expect(ours).toEqual(theirs)
  })

  it('rejects with what onerror throws', async () => {
    withWindow()
    const stop = new Error('stop')
    t.server.respond(reply(500, 'oops'))
    const results = await sideBySide(
      {
        onopen: undefined,
        onerror: () => {
          throw stop
        },
      },
      async (request) => void (await request(0)),
    )
    for (const result of results) expect(result).toEqual({ log: [['error']], outcome: stop })
  })

  it('hands an error thrown by onmessage to onerror (the FatalError pattern)', async () => {
    withWindow()
    class FatalError extends Error {}
    const results = await sideBySide(
      {
        onmessage: (ev) => {
          if (ev.event === 'fatal') throw new FatalError(ev.data)
        },
        onerror: (err) => {
          throw err
        },
      },
      async (request) => (await request(0)).send('data: ok\n\nevent: fatal\ndata: bad\n\n'),
    )
    for (const { log, outcome } of results) {
      expect(log.map((entry) => (entry as unknown[])[0])).toEqual(['open', 'message', 'message', 'error'])
      expect(outcome).toBeInstanceOf(FatalError)
    }
  })

  it('retries when onclose throws (the reconnect-on-close pattern)', async () => {
    withWindow()
    let closes = 0
    const init: FetchEventSourceInit = {
      onclose: () => {
        if (closes++ % 2 === 0) throw new Error('retry')
      },
      onerror: () => 1,
    }
    const results = await sideBySide(init, async (request) => {
      ;(await request(0)).res.end()
      ;(await request(1)).res.end()
    })
    for (const result of results)
      expect(result).toEqual({
        log: [['open', 200], ['close'], ['error'], ['open', 200], ['close']],
        outcome: 'resolved',
      })
  })

  it('sends method, body and headers, with accept: text/event-stream by default', async () => {
    withWindow()
    const requests: Exchange[] = []
    await sideBySide({ method: 'POST', body: 'q', headers: { 'x-app': 'kit' } }, async (request) => {
      const exchange = await request(0)
      requests.push(exchange)
      exchange.res.end()
    })
    for (const { method, body, headers } of requests) {
      expect({ method, body, app: headers['x-app'], accept: headers.accept }).toEqual({
        method: 'POST',
        body: 'q',
        app: 'kit',
        accept: 'text/event-stream',
      })
    }
  })

  it('resolves without onclose when the signal aborts', async () => {
    const result = run(fetchEventSource)
    const exchange = await t.server.request(0)
    exchange.send('data: a\n\n')
    await vi.waitFor(() => expect(result.log).toHaveLength(2))
    result.controller.abort()
    expect(await result.settled).toBe('resolved')
    await exchange.closed
    expect(result.log).toEqual([
      ['open', 200],
      ['message', { id: '', event: '', data: 'a' }],
    ])
  })
})

describe('fetchEventSource: right where the original is wrong', () => {
  it('parses by the standard: comment blocks dispatch nothing, bare `data` is a field, CR ends lines', async () => {
    const messages: string[] = []
    const result = run(fetchEventSource, { onmessage: (ev) => messages.push(ev.data) })
    const exchange = await t.server.request(0)
    exchange.send(': ping\n\ndata\ndata\n\ndata:a\r\ndata:b\r\r\ufeffdata: c\n\nretry: 10x\ndata: d\n\n')
    exchange.res.end()
    expect(await result.settled).toBe('resolved')
    expect(messages).toEqual(['\n', 'a\nb', 'd'])
    expect(result.log).toContainEqual(['message', { id: '', event: '', data: 'd' }])
  })

  it('sets Last-Event-ID only when an event is dispatched, and keeps it across events', async () => {
    const messages: unknown[] = []
    let closes = 0
    run(fetchEventSource, {
      onmessage: (ev) => messages.push(ev.id),
      onclose: () => {
        if (!closes++) throw new Error('retry')
      },
      onerror: () => 1,
    })
    const first = await t.server.request(0)
    first.send('id: 1\ndata: a\n\ndata: b\n\nid: 2\ndata: lost\n')
    first.res.end()
    expect((await t.server.request(1)).headers['last-event-id']).toBe('1')
    expect(messages).toEqual(['1', '1'])
  })

  it('settles at once, without a request, on an already-aborted signal', async () => {
    const fetch = vi.fn()
    await expect(
      fetchEventSource(t.server.url, { signal: AbortSignal.abort(), fetch }),
    ).resolves.toBeUndefined()
    expect(fetch).not.toHaveBeenCalled()
  })

  it('rejects a 4xx, 204 or wrong content type with a typed error instead of retrying forever', async () => {
    t.server.respond(
      reply(401, 'token expired'),
      reply(204),
      reply(200, '<html>', { 'content-type': 'text/html' }),
    )
    for (const [status, kind] of [
      [401, 'http'],
      [204, 'no-content'],
      [200, 'content-type'],
    ] as const) {
      const outcome = await run(fetchEventSource, { onopen: undefined }).settled
      expect(outcome).toBeInstanceOf(StreamError)
      expect(outcome).toMatchObject({ status, kind, fatal: true })
    }
    expect(t.server.exchanges).toHaveLength(3)
  })

  it('still retries a fatal response when onerror returns an interval', async () => {
    t.server.respond(reply(404), openStream)
    const errors: unknown[] = []
    run(fetchEventSource, { onopen: undefined, onerror: (err) => (errors.push(err), 1) })
    await t.server.request(1)
    expect(errors).toMatchObject([{ kind: 'http', status: 404 }])
  })

  it('retries network errors by itself when onerror returns nothing', async () => {
    t.server.respond(hangUp, openStream)
    vi.spyOn(Math, 'random').mockReturnValue(0)
    const errors: unknown[] = []
    run(fetchEventSource, { onerror: (err) => void errors.push(err) })
    await t.server.request(1)
    expect(errors).toHaveLength(1)
    expect(errors[0]).not.toBeInstanceOf(StreamError)
  })

  it('keeps headers given as a Headers object (the original dropped them)', async () => {
    run(fetchEventSource, { headers: new Headers({ authorization: 'Bearer x' }) })
    expect((await t.server.request(0)).headers.authorization).toBe('Bearer x')
  })

  it('runs in Node without window or document; the original cannot', async () => {
    expect(typeof document).toBe('undefined')
    await expect(original(t.server.url, {})).rejects.toThrow(ReferenceError)
    const result = run(fetchEventSource, { openWhenHidden: false })
    ;(await t.server.request(0)).res.end()
    expect(await result.settled).toBe('resolved')
  })

  it('frees the connection when a callback stops the stream mid-way', async () => {
    const result = run(fetchEventSource, {
      onmessage: () => {
        throw new Error('enough')
      },
      onerror: (err) => {
        throw err
      },
    })
    const exchange = await t.server.request(0)
    exchange.send('data: a\n\n')
    expect(await result.settled).toMatchObject({ message: 'enough' })
    await exchange.closed
  })

  describe('in a hidden page', () => {
    let hidden = false
    const setHidden = (value: boolean) => {
      hidden = value
      document.dispatchEvent(new Event('visibilitychange'))
    }
    const stubDocument = () =>
      vi.stubGlobal('document', Object.defineProperty(new EventTarget(), 'hidden', { get: () => hidden }))

    it('closes a GET while hidden and reopens it with Last-Event-ID when visible', async () => {
      stubDocument()
      hidden = false
      const messages: string[] = []
      run(fetchEventSource, { openWhenHidden: false, onmessage: (ev) => messages.push(ev.data) })
      const first = await t.server.request(0)
      first.send('id: 4\ndata: a\n\n')
      await vi.waitFor(() => expect(messages).toEqual(['a']))
      setHidden(true)
      await first.closed
      setHidden(false)
      expect((await t.server.request(1)).headers['last-event-id']).toBe('4')
    })

    it('never re-sends a POST: it stays open while hidden', async () => {
      stubDocument()
      hidden = false
      const messages: string[] = []
      run(fetchEventSource, {
        openWhenHidden: false,
        method: 'POST',
        onmessage: (ev) => messages.push(ev.data),
      })
      const post = await t.server.request(0)
      setHidden(true)
      setHidden(false)
      post.send('data: still here\n\n')
      await vi.waitFor(() => expect(messages).toEqual(['still here']))
      expect(t.server.exchanges.map((e) => e.method)).toEqual(['POST'])
    })
  })
})
