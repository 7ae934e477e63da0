import { describe, expect, it } from 'vitest'
import { createChannelRegistry } from '../../src/index'
import { EventLog } from '../chat/sse'
import { useKitHarness } from '../chat/harness'
import { serveRegistry } from '../support/registry-server'
import { sleep } from '../support/wait'
import type { TestServer } from '../support/server'
import { exchange, rawRequest } from './support/raw-http'

const ALICE = { 'x-kit-user': 'alice-browser-0001' }
const kit = useKitHarness()

/** HEAD `path`, then a pipelined `GET /healthz` on the same connection. */
async function headThenHealth(s: TestServer, path: string, headers: Record<string, string> = {}) {
  const { responses } = await exchange(s.port, [
    rawRequest('HEAD', path, headers),
    rawRequest('GET', '/healthz'),
  ])
  return responses
}

function expectHeadersOnly(responses: Awaited<ReturnType<typeof headThenHealth>>, status: number) {
  expect(responses.map((r) => r.status)).toEqual([status, 200])
  expect(responses[0]?.body).toBe('')
  expect(JSON.parse(responses[1]?.body ?? '')).toMatchObject({ status: 'ok' })
}

describe('HEAD on stream routes: headers only, and the connection goes on', () => {
  it('GET /api/events/:key of a live channel', async () => {
    const s = await kit.server()
    await s.publish('head-live', { step: 1 })
    const url = new URL(s.eventsUrl('head-live'))
    const responses = await headThenHealth(s, url.pathname + url.search)
    expectHeadersOnly(responses, 200)
    expect(responses[0]?.headers['content-type']).toBe('text/event-stream')
    // Nobody stays subscribed on behalf of a HEAD.
    expect(s.registry.stats().connections).toBe(0)
  })

  it('GET /api/events/:key without a token answers 401 without a body', async () => {
    const s = await kit.server()
    expectHeadersOnly(await headThenHealth(s, '/api/events/head-denied'), 401)
  })

  it('GET /api/chat starts no answer', async () => {
    const s = await kit.server()
    const responses = await headThenHealth(s, '/api/chat?prompt=hello&provider=fake', ALICE)
    expectHeadersOnly(responses, 200)
    expect(responses[0]?.headers['content-type']).toBe('text/event-stream')
    // Long enough for an answer started by mistake to reach the provider.
    await sleep(300)
    expect(kit.fake.requests).toEqual([])
    const metrics = await (await fetch(`${s.url}/metrics`)).text()
    expect(metrics).toMatch(/^kit_chat_generating 0$/m)
    expect(metrics).toMatch(/^kit_chat_answers_total 0$/m)
  })

  it('GET /api/chat/streams/:id of an answer being generated', async () => {
    const s = await kit.server()
    kit.fake.chunkDelayMs = 50
    const words = Array.from({ length: 40 }, (_, i) => `w${i}`).join(' ')
    const log = await EventLog.post(`${s.url}/api/chat`, { prompt: words, provider: 'fake' }, ALICE)
    await log.until((events) => events.some((e) => e.event === 'message'))
    const { streamId } = log.events.find((e) => e.event === 'start')?.data as { streamId: string }
    const responses = await headThenHealth(s, `/api/chat/streams/${streamId}`, ALICE)
    expectHeadersOnly(responses, 200)
    expect(responses[0]?.headers['content-type']).toBe('text/event-stream')
    log.close()
  })
})

it('a host app’s own stream route through registry.connect answers HEAD the same way', async () => {
  const registry = createChannelRegistry()
  const host = await serveRegistry(registry)
  try {
    await registry.send('host-live', 'status', { step: 1 })
    const { responses } = await exchange(
      host.port,
      [rawRequest('HEAD', '/host-live'), rawRequest('GET', '/host-live', { 'Last-Event-ID': '1' })],
      { until: (r) => r.length === 2 },
    )
    expect(responses.map((r) => [r.status, r.body])).toEqual([
      [200, ''],
      [200, expect.stringContaining('retry:')],
    ])
  } finally {
    await host.close()
    await registry.close()
  }
})
