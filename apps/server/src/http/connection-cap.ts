import type { Server } from 'node:http'
import type { Socket } from 'node:net'

/**
 * Refuses a client's connections beyond `max` open at once, by the socket's peer address: the new socket is
 * closed before it is read. Behind a proxy every socket comes from the proxy, so the cap belongs there
 * (nginx `limit_conn`); the configuration refuses it together with `trustProxy`.
 */
export function capConnectionsPerIp(server: Server, max: number): void {
  const open = new Map<string, number>()
  server.on('connection', (socket: Socket) => {
    const ip = socket.remoteAddress ?? ''
    const count = open.get(ip) ?? 0
    if (count >= max) {
      socket.destroy()
      return
    }
    open.set(ip, count + 1)
    socket.once('close', () => {
      const left = (open.get(ip) ?? 1) - 1
      if (left === 0) open.delete(ip)
      else open.set(ip, left)
    })
  })
}
