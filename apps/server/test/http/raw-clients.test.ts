import { connect, type Socket } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer, type TestServer } from '../support/server'
import { waitFor } from '../support/wait'

let server: TestServer

beforeAll(async () => {
  server = await startTestServer()
})

afterAll(() => server.close())

/** Writes `request` on a fresh socket and collects what comes back. */
function rawRequest(request: string): { socket: Socket; text: () => string; closed: () => boolean } {
  const socket = connect(server.port, '127.0.0.1')
  let text = ''
  let closed = false
  socket.setEncoding('utf8')
  socket.on('data', (chunk: string) => (text += chunk))
  socket.on('close', () => (closed = true))
  socket.write(request)
  return { socket, text: () => text, closed: () => closed }
}

const get = (path: string, headers = ''): string =>
  `GET ${path} HTTP/1.1\r\nHost: localhost\r\n${headers}\r\n`

describe('raw clients', () => {
  it('never compresses the stream, whatever the client accepts', async () => {
    const path = new URL(server.eventsUrl('raw-1')).pathname + new URL(server.eventsUrl('raw-1')).search
    const client = rawRequest(get(path, 'Accept-Encoding: gzip, deflate, br\r\n'))
    await waitFor('retry', () => client.text().includes('retry: 20'))
    const [head = ''] = client.text().split('\r\n\r\n')
    expect(head).toMatch(/^HTTP\/1\.1 200 OK\r\n/)
    expect(head).toMatch(/\r\nContent-Type: text\/event-stream\r\n/)
    expect(head).toMatch(/\r\nCache-Control: no-cache, no-transform\r\n/)
    expect(head).toMatch(/\r\nX-Accel-Buffering: no\r\n/)
    expect(head).not.toMatch(/content-encoding/i)
    client.socket.destroy()
  })

  it('answers 400 to a malformed request line or header and closes', async () => {
    const client = rawRequest('GET /api/events/raw-2 HTTP/1.1\r\nHost localhost\r\n\r\n')
    await waitFor('closed', client.closed)
    expect(client.text()).toMatch(/^HTTP\/1\.1 400 Bad Request/)
  })

  it('answers JSON 400 to a path that does not decode', async () => {
    const client = rawRequest(get('/api/events/%E0%A4%A?token=x', 'Connection: close\r\n'))
    await waitFor('closed', client.closed)
    expect(client.text()).toMatch(/^HTTP\/1\.1 400 /)
    expect(client.text()).toMatch(/"code":"bad_request"/)
  })

  it('answers resume_unavailable to a Last-Event-ID that is not one of ours', async () => {
    await server.publish('raw-3', 1)
    const url = new URL(server.eventsUrl('raw-3'))
    const client = rawRequest(get(url.pathname + url.search, 'Last-Event-ID: 1e3\r\n'))
    await waitFor('the error event', () => client.text().includes('event: error'))
    expect(client.text()).toContain('event: error\ndata: {"code":"resume_unavailable"')
    expect(client.text()).not.toContain('id: ')
    client.socket.destroy()
  })

  it('forgets a client that half-closes its socket', async () => {
    const url = new URL(server.eventsUrl('raw-4'))
    const client = rawRequest(get(url.pathname + url.search))
    await waitFor('subscribed', () => server.registry.stats().connections === 1)
    client.socket.end()
    await waitFor('forgotten', () => server.registry.stats().connections === 0)
    expect(server.registry.stats().channels).toBe(0)
  })
})
