import { EventSource } from 'eventsource'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer, type TestServer } from '../support/server'
import { sleep, waitFor } from '../support/wait'

/** What an independent WHATWG EventSource saw: every event with its lastEventId, and each (re)open. */
class Tab {
  readonly es: EventSource
  readonly seen: { id: string; event: string; data: unknown }[] = []
  opens = 0

  constructor(url: string, events: readonly string[] = ['message', 'status', 'done', 'error']) {
    this.es = new EventSource(url)
    this.es.onopen = () => (this.opens += 1)
    for (const name of events) {
      this.es.addEventListener(name, (e) => {
        // A transport failure is a plain Event; a server-sent `error` is a MessageEvent with data.
        if (!('data' in e)) return
        const message = e as MessageEvent<string>
        this.seen.push({ id: message.lastEventId, event: name, data: JSON.parse(message.data) })
        if (name === 'done' || name === 'error') this.es.close()
      })
    }
    tabs.push(this)
  }

  get ids(): number[] {
    return this.seen.map((e) => Number(e.id))
  }

  async waitFor(count: number, timeoutMs = 3000): Promise<void> {
    await waitFor(`${count} events (have ${this.seen.length})`, () => this.seen.length >= count, timeoutMs)
  }
}

let server: TestServer
const tabs: Tab[] = []

beforeAll(async () => {
  server = await startTestServer()
})

afterEach(() => {
  for (const tab of tabs.splice(0)) tab.es.close()
})

afterAll(() => server.close())

describe('subscribing with the eventsource package', () => {
  it('receives what was published before it connected, then live events', async () => {
    await server.publish('es-early', { state: 'created' }, 'status')
    await server.publish('es-early', { state: 'paying' }, 'status')
    const tab = new Tab(server.eventsUrl('es-early'))
    await tab.waitFor(2)
    await server.publish('es-early', { state: 'paid' }, 'status')
    await server.post('/api/events/es-early/complete')
    await tab.waitFor(4)
    expect(tab.seen).toEqual([
      { id: '1', event: 'status', data: { state: 'created' } },
      { id: '2', event: 'status', data: { state: 'paying' } },
      { id: '3', event: 'status', data: { state: 'paid' } },
      { id: '4', event: 'done', data: { reason: 'complete' } },
    ])
  })

  it('shows one payment in two tabs', async () => {
    const tabA = new Tab(server.eventsUrl('es-two'))
    const tabB = new Tab(server.eventsUrl('es-two'))
    await waitFor('both tabs open', () => tabA.opens === 1 && tabB.opens === 1)
    for (let n = 1; n <= 3; n++) expect((await server.publish('es-two', n)).delivered).toBe(2)
    await server.post('/api/events/es-two/complete')
    await tabA.waitFor(4)
    await tabB.waitFor(4)
    expect(tabA.seen).toEqual(tabB.seen)
    expect(tabA.ids).toEqual([1, 2, 3, 4])
  })

  // 300 publishes over HTTP and two reconnects a `retry:` apart: seconds of work on a loaded machine.
  it('reconnects with Last-Event-ID mid-flow and loses or doubles nothing', async () => {
    const tab = new Tab(server.eventsUrl('es-flow'))
    await waitFor('open', () => tab.opens === 1)
    let published = 0
    const publishing = (async () => {
      while (published < 300) {
        await server.publish('es-flow', ++published)
        if (published % 10 === 0) await sleep(2)
      }
    })()
    // Cut the connection twice while events keep coming: the tab must reconnect and resume.
    for (const at of [60, 180]) {
      await waitFor(`${at} events`, () => tab.seen.length >= at)
      server.registry.remove('es-flow')
    }
    await publishing
    await server.post('/api/events/es-flow/complete')
    await tab.waitFor(301, 5000)
    expect(tab.opens).toBe(3)
    expect(tab.ids).toEqual(Array.from({ length: 301 }, (_, i) => i + 1))
    expect(tab.seen.slice(0, 300).map((e) => e.data)).toEqual(Array.from({ length: 300 }, (_, i) => i + 1))
    expect(tab.seen.at(-1)?.event).toBe('done')
  }, 20_000)

  it('gets a server error event apart from transport errors', async () => {
    const tab = new Tab(server.eventsUrl('es-error'))
    await waitFor('open', () => tab.opens === 1)
    await server.post('/api/events/es-error/error', { code: 'payment_failed', message: 'declined' })
    await tab.waitFor(1)
    expect(tab.seen).toEqual([
      { id: '1', event: 'error', data: { code: 'payment_failed', message: 'declined', retriable: false } },
    ])
  })
})

describe('channel timeout over HTTP', () => {
  it('ends a channel with done {reason:"timeout"} after the configured lifetime', async () => {
    const short = await startTestServer({ channels: { timeoutMs: 100 } })
    try {
      const tab = new Tab(short.eventsUrl('es-timeout'))
      await tab.waitFor(1)
      expect(tab.seen).toEqual([{ id: '1', event: 'done', data: { reason: 'timeout' } }])
      expect(short.registry.stats().timeouts).toBe(1)
    } finally {
      await short.close()
    }
  })
})
