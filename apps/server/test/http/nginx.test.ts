import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startNginx, type Nginx } from '../support/nginx'
import { startTestServer, type TestServer } from '../support/server'
import { SseReader } from '../support/sse-reader'
import { sleep, waitFor } from '../support/wait'

// The settings docs/deploy.md recommends, with proxy_read_timeout scaled down to 1 s so that the test can
// show the heartbeat (250 ms here) keeping an idle stream open past it.
const RECOMMENDED = `
    location /api/events/ {
      proxy_pass http://kit;
      proxy_http_version 1.1;
      proxy_set_header Connection '';
      proxy_buffering off;
      proxy_cache off;
      gzip off;
      proxy_read_timeout 1s;
    }`

// What goes wrong without them: buffering on (and the app's X-Accel-Buffering ignored), gzip on the stream.
const BUFFERED = `
    location /api/events/ {
      proxy_pass http://kit;
      proxy_http_version 1.1;
      proxy_set_header Connection '';
      proxy_ignore_headers X-Accel-Buffering;
      proxy_buffering on;
      gzip on;
      gzip_types text/event-stream;
    }`

let server: TestServer
let good: Nginx
let bad: Nginx

beforeAll(async () => {
  server = await startTestServer({ channels: { heartbeatMs: 250 } })
  good = await startNginx(server.port, RECOMMENDED)
  bad = await startNginx(server.port, BUFFERED)
})

afterAll(async () => {
  await good?.stop()
  await bad?.stop()
  await server?.close()
})

/**
 * Subscribes through `base`, publishes one event, waits `gapMs`, then publishes another and completes.
 * Answers how many events had arrived by the end of the gap, and when the first one did. The response
 * is not awaited before publishing: a buffering proxy holds back even the headers.
 */
async function timeline(base: string, key: string, gapMs: number) {
  let reader: SseReader | undefined
  const opening = SseReader.open(`${base}/api/events/${key}?token=${server.token(key)}`, {
    'accept-encoding': 'gzip',
  }).then((r) => (reader = r))
  await waitFor('subscribed', () => server.registry.stats().connections === 1)
  const t0 = performance.now()
  await server.publish(key, 1)
  let firstAt = Infinity
  const first = opening.then(async (r) => {
    await waitFor('the first event', () => r.events.length > 0, 5000)
    firstAt = performance.now() - t0
  })
  await sleep(gapMs)
  const beforeTheEnd = reader?.events.length ?? 0
  await server.publish(key, 2)
  await server.post(`/api/events/${key}/complete`)
  await (await opening).waitForEnd(5000)
  await first
  return { reader: await opening, beforeTheEnd, firstAt }
}

describe('behind nginx', () => {
  it('delivers the first event through nginx long before the stream ends', async () => {
    const { reader, beforeTheEnd } = await timeline(good.url, 'nginx-1', 1000)
    expect(reader.status).toBe(200)
    expect(reader.headers['content-type']).toBe('text/event-stream')
    expect(reader.headers['content-encoding']).toBeUndefined()
    // The first event was through nginx before the second one was even published, a second later.
    expect(beforeTheEnd).toBe(1)
    expect(reader.raw.startsWith('retry: 20\n\n')).toBe(true)
    expect(reader.events.map((e) => e.id)).toEqual(['1', '2', '3'])
    await waitFor('upstream closed', () => server.registry.stats().connections === 0)
  })

  it('keeps an idle stream open past proxy_read_timeout thanks to the heartbeat', async () => {
    const reader = await SseReader.open(`${good.url}/api/events/nginx-2?token=${server.token('nginx-2')}`)
    await sleep(1600)
    expect(reader.ended).toBe(false)
    expect(reader.comments.filter((c) => c === 'ping').length).toBeGreaterThanOrEqual(4)
    await server.publish('nginx-2', 'still here')
    expect((await reader.waitForEvents(1))[0]?.data).toBe('"still here"')
    reader.close()
    await waitFor('upstream closed', () => server.registry.stats().connections === 0)
  })

  it('holds the first event back when buffering is on, which is what the settings prevent', async () => {
    const { reader, beforeTheEnd, firstAt } = await timeline(bad.url, 'nginx-3', 1000)
    expect(reader.headers['content-encoding']).toBe('gzip')
    expect(reader.events.map((e) => e.id)).toEqual(['1', '2', '3'])
    expect(beforeTheEnd).toBe(0)
    expect(firstAt).toBeGreaterThan(1000)
  })
})
