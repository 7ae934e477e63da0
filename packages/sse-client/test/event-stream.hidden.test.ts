// @vitest-environment happy-dom
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createEventStream, type EventStream, type EventStreamOptions } from '../src'
import { eventFeed } from './msw/feed'
import { deliver, reach } from './support/stream-probes'

const url = 'http://kit.test/feed'
const server = setupServer()
let feed: ReturnType<typeof eventFeed>
let hidden = false
const streams: EventStream[] = []

const setHidden = (value: boolean) => {
  hidden = value
  document.dispatchEvent(new Event('visibilitychange'))
}
const open = (options: EventStreamOptions) => {
  const stream = createEventStream(url, { retry: { initialMs: 1 }, ...options })
  streams.push(stream)
  return stream
}

beforeAll(() => {
  server.listen({ onUnhandledRequest: 'error' })
  Object.defineProperty(document, 'hidden', { configurable: true, get: () => hidden })
})
beforeEach(() => {
  hidden = false
  feed = eventFeed(url)
  server.use(feed.handler)
})
afterEach(() => {
  for (const stream of streams.splice(0)) stream.close()
  server.resetHandlers()
})
afterAll(() => server.close())

describe('createEventStream in a hidden tab', () => {
  it('closes a GET while hidden and resumes with Last-Event-ID when visible', async () => {
    const signals: AbortSignal[] = []
    const stream = open({
      pauseWhenHidden: true,
      fetch: (input, init) => (signals.push(init!.signal!), fetch(input, init)),
    })
    const first = await feed.connection(0)
    await deliver(stream, first, 'id: 5\ndata: 1\n\n')
    setHidden(true)
    await reach(stream, 'paused')
    expect(signals.map((signal) => signal.aborted)).toEqual([true])
    expect(feed.connections).toHaveLength(1)
    setHidden(false)
    expect((await feed.connection(1)).lastEventId).toBe('5')
    await reach(stream, 'open')
  })

  it('does not connect before a tab that starts hidden is shown', async () => {
    hidden = true
    const stream = open({ pauseWhenHidden: true })
    expect(stream.state).toBe('paused')
    setHidden(false)
    await feed.connection(0)
    await reach(stream, 'open')
  })

  it('never re-sends a POST: its connection stays open while hidden', async () => {
    const stream = open({ pauseWhenHidden: true, method: 'POST', body: '{}' })
    const post = await feed.connection(0)
    await reach(stream, 'open')
    setHidden(true)
    await deliver(stream, post, 'data: 1\n\n')
    expect(stream.state).toBe('open')
    setHidden(false)
    await deliver(stream, post, 'data: 2\n\n')
    expect(feed.connections.map((c) => c.method)).toEqual(['POST'])
  })

  it('ignores visibility by default', async () => {
    const stream = open({})
    const first = await feed.connection(0)
    await reach(stream, 'open')
    setHidden(true)
    expect((await deliver(stream, first, 'data: 1\n\n')).data).toBe(1)
    expect(stream.state).toBe('open')
    expect(feed.connections).toHaveLength(1)
  })
})
