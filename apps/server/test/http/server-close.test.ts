import { connect, type Socket } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { PUBLISH_SECRET, startTestServer } from '../support/server'
import { waitFor } from '../support/wait'

const sockets: Socket[] = []
afterEach(() => {
  for (const socket of sockets.splice(0)) socket.destroy()
})

/** A raw TCP connection to the server, recording what it receives and whether it closed. */
async function rawSocket(port: number) {
  const socket = connect(port, '127.0.0.1')
  sockets.push(socket)
  const state = { received: '', closed: false }
  socket.setEncoding('utf8')
  socket.on('data', (chunk: string) => (state.received += chunk))
  socket.on('close', () => (state.closed = true))
  await new Promise((resolve) => socket.once('connect', resolve))
  return { socket, state }
}

/** Milliseconds `close()` took. */
async function timed(close: () => Promise<void>): Promise<number> {
  const started = performance.now()
  await close()
  return performance.now() - started
}

describe('startServer().close()', () => {
  it('is prompt with a keep-alive socket that never sent a request, and one idle after a response', async () => {
    const server = await startTestServer()
    const silent = await rawSocket(server.port)
    const idle = await rawSocket(server.port)
    idle.socket.write('GET /healthz HTTP/1.1\r\nHost: kit\r\n\r\n')
    await waitFor('the health answer', () => idle.state.received.includes('\r\n\r\n'))
    expect(idle.state.received).toMatch(/^HTTP\/1\.1 200 /)

    expect(await timed(server.close)).toBeLessThan(500)
    await waitFor('both sockets closed', () => silent.state.closed && idle.state.closed)
  })

  it('lets a request in flight finish with its whole response', async () => {
    const server = await startTestServer()
    const body = JSON.stringify({ data: 'sent while the server closes' })
    const { socket, state } = await rawSocket(server.port)
    socket.write(
      `POST /api/events/closing HTTP/1.1\r\nHost: kit\r\nAuthorization: Bearer ${PUBLISH_SECRET}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 10)}`,
    )
    // The server has the request and waits for the rest of its body when close starts.
    await new Promise((resolve) => setTimeout(resolve, 50))
    const closing = server.close()
    await new Promise((resolve) => setTimeout(resolve, 100))
    socket.write(body.slice(10))
    expect(await timed(() => closing)).toBeLessThan(1000)
    await waitFor('the socket closed', () => state.closed)
    expect(state.received).toMatch(/^HTTP\/1\.1 200 /)
    expect(state.received).toContain('"id":1')
  })
})

describe('closing a server that is the only one (the in-memory bus)', () => {
  it('ends every open channel with done aborted, so clients stop instead of reconnecting', async () => {
    const server = await startTestServer()
    await server.publish('order-7', { state: 'paying' }, 'status')
    const { socket, state } = await rawSocket(server.port)
    socket.write(`GET /api/events/order-7?token=${server.token('order-7')} HTTP/1.1\r\nHost: kit\r\n\r\n`)
    await waitFor('the replayed status', () => state.received.includes('"paying"'))
    await server.close()
    await waitFor('the socket closed', () => state.closed)
    expect(state.received).toMatch(/event: done\ndata: \{"reason":"aborted"\}\n\n/)
  })
})
