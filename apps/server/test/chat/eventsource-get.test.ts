import { ErrorCode } from '@kit/protocol'
import { EventSource, type FetchLike } from 'eventsource'
import { afterEach, describe, expect, it } from 'vitest'
import type { TestServer } from '../support/server'
import { waitFor } from '../support/wait'
import { useKitHarness } from './harness'

const ALICE = { 'x-kit-user': 'alice-browser-0001' }
const BOB = { 'x-kit-user': 'bob-browser-000002' }

const kit = useKitHarness()
const chatRequests = () => kit.fake.requests.filter((r) => r.path === '/v1/chat/completions')

interface Seen {
  readonly event: string
  readonly id: string
  readonly data: string
}

/**
 * A WHATWG EventSource (the `eventsource` package reconnects like a browser: same URL, `Last-Event-ID`)
 * whose first connection can be cut after some events, as a network would.
 */
class NativeTab {
  readonly seen: Seen[] = []
  readonly requests: { url: string; lastEventId: string | null }[] = []
  readonly es: EventSource
  ended = false

  constructor(url: string, headers: Record<string, string>, cutAfterMessages?: number) {
    let cut = cutAfterMessages
    const fetchLike: FetchLike = async (input, init) => {
      const sent = new Headers(init.headers)
      this.requests.push({ url: String(input), lastEventId: sent.get('last-event-id') })
      for (const [name, value] of Object.entries(headers)) sent.set(name, value)
      const response = await fetch(input, { ...init, headers: sent })
      if (cut === undefined || !response.body) return response
      const limit = cut
      cut = undefined
      return new Response(
        cutStream(response.body, () => this.messages().length >= limit),
        response,
      )
    }
    this.es = new EventSource(url, { fetch: fetchLike })
    for (const event of ['start', 'message', 'done', 'error']) {
      this.es.addEventListener(event, (e) => {
        if (!('data' in e)) return
        const message = e as MessageEvent<string>
        this.seen.push({ event, id: message.lastEventId, data: message.data })
        if (event === 'done' || event === 'error') {
          this.ended = true
          this.es.close()
        }
      })
    }
    tabs.push(this)
  }

  messages(): Seen[] {
    return this.seen.filter((e) => e.event === 'message')
  }

  async end(): Promise<Seen[]> {
    await waitFor('the answer to end', () => this.ended, 5000)
    return this.seen
  }
}

/** Passes chunks through until `stop()` says so, then errors like a dropped connection. */
function cutStream(body: ReadableStream<Uint8Array>, stop: () => boolean): ReadableStream<Uint8Array> {
  const reader = body.getReader()
  return new ReadableStream({
    async pull(controller) {
      if (stop()) {
        await reader.cancel()
        controller.error(new TypeError('network connection lost'))
        return
      }
      const { done, value } = await reader.read()
      if (done) controller.close()
      else controller.enqueue(value)
    },
  })
}

const tabs: NativeTab[] = []
afterEach(() => {
  for (const tab of tabs.splice(0)) tab.es.close()
})

const chatUrl = (s: TestServer, query: Record<string, string>) =>
  `${s.url}/api/chat?${new URLSearchParams({ provider: 'fake', ...query })}`

describe('GET /api/chat: an answer a native EventSource can start and follow', () => {
  it('streams the answer with ids that name it, the events of POST /api/chat', async () => {
    const s = await kit.server()
    const tab = new NativeTab(chatUrl(s, { prompt: 'hello there' }), ALICE)
    const events = await tab.end()
    expect(events.map((e) => e.event)).toEqual(['start', 'message', 'message', 'message', 'done'])
    const { streamId } = JSON.parse(events[0]?.data ?? '{}') as { streamId: string }
    expect(events.map((e) => e.id)).toEqual([1, 2, 3, 4, 5].map((seq) => `${streamId}:${seq}`))
    const text = events
      .filter((e) => e.event === 'message')
      .map((e) => (JSON.parse(e.data) as { delta: string }).delta)
    expect(text.join('')).toBe('Echo: hello there')
  })

  it('pushes plain strings with format=text, line breaks included', async () => {
    const s = await kit.server()
    kit.fake.answer = () => 'first line\nsecond line\n\nlast'
    const tab = new NativeTab(chatUrl(s, { prompt: 'lines', format: 'text' }), ALICE)
    await tab.end()
    expect(
      tab
        .messages()
        .map((e) => e.data)
        .join(''),
    ).toBe('first line\nsecond line\n\nlast')
    expect(JSON.parse(tab.seen.at(-1)?.data ?? '{}')).toMatchObject({ reason: 'stop' })
  })

  it('resumes the same answer when the browser reconnects, asking the provider once', async () => {
    const s = await kit.server()
    kit.fake.chunkDelayMs = 30
    kit.fake.answer = () => 'one two three four five six seven eight'
    const tab = new NativeTab(chatUrl(s, { prompt: 'count', format: 'text' }), ALICE, 2)
    await tab.end()
    expect(tab.requests.length).toBeGreaterThanOrEqual(2)
    expect(tab.requests[1]?.url).toBe(tab.requests[0]?.url)
    expect(tab.requests[1]?.lastEventId).toMatch(/^[\w-]+:\d+$/)
    expect(
      tab
        .messages()
        .map((e) => e.data)
        .join(''),
    ).toBe('one two three four five six seven eight')
    expect(new Set(tab.seen.map((e) => e.id)).size).toBe(tab.seen.length)
    expect(chatRequests()).toHaveLength(1)
  })

  it('answers a reconnect after the end, or with an id it did not write, with 204 and asks nothing', async () => {
    const s = await kit.server()
    const tab = new NativeTab(chatUrl(s, { prompt: 'once' }), ALICE)
    const events = await tab.end()
    const lastId = events.at(-1)?.id ?? ''
    const reconnect = (lastEventId: string, headers = ALICE) =>
      fetch(chatUrl(s, { prompt: 'once' }), { headers: { ...headers, 'last-event-id': lastEventId } })
    expect((await reconnect(lastId)).status).toBe(204)
    expect((await reconnect('7')).status).toBe(204)
    expect((await reconnect(lastId, BOB)).status).toBe(204)
    expect(chatRequests()).toHaveLength(1)
  })

  it('refuses a GET that another site makes, before anything is asked', async () => {
    const s = await kit.server()
    const url = chatUrl(s, { prompt: 'spend my quota' })
    const foreign: Record<string, string>[] = [
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site' },
      { origin: 'https://evil.example' },
    ]
    for (const headers of foreign) {
      const response = await fetch(url, { headers: { ...ALICE, ...headers } })
      expect(response.status).toBe(403)
      expect(await response.json()).toMatchObject({ error: { code: ErrorCode.Forbidden } })
    }
    const own = await fetch(url, { headers: { ...ALICE, 'sec-fetch-site': 'same-origin', origin: s.url } })
    expect(own.status).toBe(200)
    await own.text()
    expect(chatRequests()).toHaveLength(1)
  })

  it('refuses a request without a prompt with 400', async () => {
    const s = await kit.server()
    const response = await fetch(`${s.url}/api/chat?provider=fake`, { headers: ALICE })
    expect(response.status).toBe(400)
    expect(chatRequests()).toHaveLength(0)
  })
})

describe('GET /api/chat/streams/:id?format=text', () => {
  it('resumes an answer with plain-string payloads', async () => {
    const s = await kit.server()
    kit.fake.chunkDelayMs = 20
    const tab = new NativeTab(chatUrl(s, { prompt: 'resume me' }), ALICE)
    await waitFor('the start event', () => tab.seen.length > 0, 5000)
    const { streamId } = JSON.parse(tab.seen[0]?.data ?? '{}') as { streamId: string }
    const response = await fetch(`${s.url}/api/chat/streams/${streamId}?format=text`, { headers: ALICE })
    const body = await response.text()
    const data = body
      .split('\n\n')
      .filter((frame) => frame.includes('event: message'))
      .map((frame) => /data: (.*)/.exec(frame)?.[1])
    expect(data.join('')).toBe('Echo: resume me')
  })
})
