import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer, type TestServer } from '../support/server'
import { SseReader } from '../support/sse-reader'

let server: TestServer

beforeAll(async () => {
  server = await startTestServer({ cors: { origins: ['https://app.example', 'http://localhost:5173'] } })
})

afterAll(() => server.close())

describe('CORS', () => {
  it('allows listed origins, with credentials, on requests and on the event stream', async () => {
    const res = await fetch(`${server.url}/healthz`, { headers: { origin: 'https://app.example' } })
    expect(res.headers.get('access-control-allow-origin')).toBe('https://app.example')
    expect(res.headers.get('access-control-allow-credentials')).toBe('true')
    expect(res.headers.get('vary')).toMatch(/Origin/)
    const stream = await SseReader.open(server.eventsUrl('cors-1'), { origin: 'http://localhost:5173' })
    expect(stream.headers['access-control-allow-origin']).toBe('http://localhost:5173')
    stream.close()
  })

  it('answers preflights of listed origins with the methods and the headers asked for', async () => {
    const res = await fetch(`${server.url}/api/events/cors-2`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://app.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type',
      },
    })
    expect(res.status).toBe(204)
    expect(res.headers.get('access-control-allow-methods')).toContain('POST')
    expect(res.headers.get('access-control-allow-headers')).toBe('authorization, content-type')
  })

  it('gives other origins no CORS headers', async () => {
    const res = await fetch(`${server.url}/healthz`, { headers: { origin: 'https://evil.example' } })
    expect(res.status).toBe(200)
    expect(res.headers.get('access-control-allow-origin')).toBeNull()
    const preflight = await fetch(`${server.url}/api/events/cors-3`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    })
    expect(preflight.status).toBe(204)
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull()
    expect(preflight.headers.get('access-control-allow-methods')).toBeNull()
  })
})

describe('operator routes', () => {
  it('GET /healthz answers ok with the connection count', async () => {
    const reader = await SseReader.open(server.eventsUrl('health-1'))
    await expect.poll(() => server.registry.stats().connections).toBe(1)
    const res = await fetch(`${server.url}/healthz`)
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ status: 'ok', connections: 1, channels: 1 })
    reader.close()
  })

  it('GET /metrics writes Prometheus text with the registry figures', async () => {
    const reader = await SseReader.open(server.eventsUrl('metrics-1'))
    await expect.poll(() => server.registry.stats().connections).toBe(1)
    await server.publish('metrics-1', 'x')
    await reader.waitForEvents(1)
    const res = await fetch(`${server.url}/metrics`)
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8')
    const text = await res.text()
    const value = (name: string): number => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1])
    for (const name of [
      'kit_connections',
      'kit_channels',
      'kit_events_sent_total',
      'kit_replayed_events_total',
      'kit_dropped_subscribers_total',
      'kit_channel_timeouts_total',
    ]) {
      expect(text).toMatch(
        new RegExp(`^# HELP ${name} .+\\n# TYPE ${name} (gauge|counter)\\n${name} \\d+$`, 'm'),
      )
    }
    expect(value('kit_connections')).toBe(1)
    expect(value('kit_events_sent_total')).toBeGreaterThanOrEqual(1)
    expect(value('kit_deliveries_total')).toBeGreaterThanOrEqual(1)
    expect(value('process_resident_memory_bytes')).toBeGreaterThan(1_000_000)
    reader.close()
  })
})
