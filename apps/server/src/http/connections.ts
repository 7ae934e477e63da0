import type { IncomingMessage, Server } from 'node:http'
import type { Socket } from 'node:net'

export interface Connections {
  /**
   * Ends every connection once the streams are over, without cutting a response in flight; resolves with
   * `stopped` (the `server.close()` callback).
   */
  drain(stopped: Promise<void>): Promise<void>
}

const SWEEP_MS = 50

/**
 * Node leaves two kinds of connection open through `server.close()`: a keep-alive socket after its last
 * response (until its timeout, 5 s) and a socket that never sent a request (a browser's preconnect, a
 * pool's spare), which Node counts as busy until its headers time out. Both carry nothing in flight.
 */
export function trackConnections(server: Server): Connections {
  const silent = new Set<Socket>()
  // One shared listener, not a closure per socket: a socket leaves the set on its first request.
  function forget(this: Socket): void {
    silent.delete(this)
  }
  server.on('connection', (socket: Socket) => {
    silent.add(socket)
    socket.on('close', forget)
  })
  server.on('request', ({ socket }: IncomingMessage) => {
    if (silent.delete(socket)) socket.off('close', forget)
  })
  return {
    async drain(stopped) {
      server.closeIdleConnections()
      for (const socket of silent) socket.destroy()
      // A response still in flight keeps its socket alive once it finishes: closed as it goes idle.
      const sweep = setInterval(() => server.closeIdleConnections(), SWEEP_MS)
      try {
        await stopped
      } finally {
        clearInterval(sweep)
      }
    },
  }
}
