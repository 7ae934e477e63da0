import { connect, type Socket } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { parseConfig } from '../../src/config/load'
import { EventLog } from '../chat/sse'
import { startTestServer, type TestServer } from '../support/server'
import { SseReader } from '../support/sse-reader'
import { sleep, waitFor } from '../support/wait'

const servers: TestServer[] = []
const sockets: Socket[] = []

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy()
  await Promise.all(servers.splice(0).map((s) => s.close()))
})

async function server(http: Record<string, number>) {
  const s = await startTestServer({ http, channels: { heartbeatMs: 100 } })
  servers.push(s)
  return s
}

/** A socket that sends `burst` at once, then `drip` a byte every `everyMs`, and what it hears back. */
function trickle(port: number, burst: string, drip: string, everyMs: number) {
  const socket = connect(port, '127.0.0.1')
  sockets.push(socket)
  const state = { closed: false, text: '' }
  socket.setEncoding('latin1')
  socket.on('data', (chunk: string) => (state.text += chunk))
  socket.on('error', () => undefined)
  socket.write(burst)
  let at = 0
  const timer = setInterval(() => socket.write(drip[at++ % drip.length] ?? ''), everyMs)
  socket.on('close', () => {
    state.closed = true
    clearInterval(timer)
  })
  return state
}

describe('slow clients', { timeout: 20_000 }, () => {
  it('closes sockets that trickle their headers once headersTimeoutMs has passed', async () => {
    const s = await server({ headersTimeoutMs: 500, requestTimeoutMs: 1_000 })
    // Each would take 30 s to finish its head at this pace.
    const slow = Array.from({ length: 50 }, () =>
      trickle(s.port, 'GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Slow: ', 'a'.repeat(600), 50),
    )
    await waitFor('every trickling socket closed', () => slow.every((c) => c.closed), 10_000)
    // A socket still writing when the server closes may be reset before it reads the 408.
    for (const c of slow) expect(c.text).toMatch(/^(HTTP\/1\.1 408 |$)/)
    expect(slow.filter((c) => c.text.startsWith('HTTP/1.1 408 ')).length).toBeGreaterThan(0)
  })

  it('closes a request whose body trickles once requestTimeoutMs has passed', async () => {
    const s = await server({ headersTimeoutMs: 300, requestTimeoutMs: 800 })
    const head =
      'POST /api/events/slow-body HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n' +
      `Authorization: Bearer ${s.config.publishSecret}\r\nContent-Length: 1000\r\n\r\n`
    // The head at once, then a body that would take 50 s.
    const slow = trickle(s.port, head, ' '.repeat(1000), 50)
    await waitFor('the slow upload closed', () => slow.closed, 10_000)
    expect(slow.text).toMatch(/^(HTTP\/1\.1 408 |$)/)
  })

  it('never cuts a stream that lasts longer than requestTimeoutMs', async () => {
    const s = await server({ headersTimeoutMs: 200, requestTimeoutMs: 400 })
    const reader = await SseReader.open(s.eventsUrl('long-stream'))
    for (let i = 1; i <= 6; i++) {
      await sleep(250)
      await s.publish('long-stream', { i })
    }
    await reader.waitForEvents(6, 5_000)
    expect(reader.data).toEqual([1, 2, 3, 4, 5, 6].map((i) => ({ i })))
    expect(reader.ended).toBe(false)
    reader.close()
  })
})

describe('streamed answers', { timeout: 20_000 }, () => {
  it('run past requestTimeoutMs: it bounds the POST body, not the answer', async () => {
    const s = await startTestServer({
      http: { headersTimeoutMs: 200, requestTimeoutMs: 400 },
      chat: { storage: { path: ':memory:' }, providers: [{ type: 'demo', tokensPerSecond: 150 }] },
    })
    servers.push(s)
    const startedAt = Date.now()
    const log = await EventLog.post(
      `${s.url}/api/chat`,
      { prompt: 'hello' },
      { 'x-kit-user': 'slow-reader-0001' },
    )
    const events = await log.end()
    expect(Date.now() - startedAt).toBeGreaterThan(400)
    expect(events.at(-1)?.event).toBe('done')
  })
})

describe('connections per client address', () => {
  it('refuses connections past maxConnectionsPerIp and takes new ones as others close', async () => {
    const s = await server({ maxConnectionsPerIp: 3 })
    const readers = await Promise.all([1, 2, 3].map((i) => SseReader.open(s.eventsUrl(`cap-${i}`))))
    await expect(fetch(`${s.url}/healthz`)).rejects.toThrow()
    readers[0]?.close()
    await waitFor('a free slot', () => s.registry.stats().connections === 2)
    await sleep(50)
    const res = await fetch(`${s.url}/healthz`, { headers: { connection: 'close' } })
    expect(res.status).toBe(200)
    for (const reader of readers) reader.close()
  })

  it('is refused together with trustProxy, whose sockets all come from the proxy', () => {
    expect(() => parseConfig({ http: { trustProxy: 1, maxConnectionsPerIp: 10 } })).toThrow(/limit_conn/)
    expect(() => parseConfig({ http: { headersTimeoutMs: 5_000, requestTimeoutMs: 1_000 } })).toThrow(
      /headersTimeoutMs/,
    )
  })
})
