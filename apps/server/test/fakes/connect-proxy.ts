import { createServer } from 'node:http'
import { connect, type Socket } from 'node:net'
import { listen, shutdown } from './http'

export interface ConnectProxy {
  /** `http://127.0.0.1:port` */
  readonly url: string
  /** `host:port` of every tunnel asked for. */
  readonly tunnels: string[]
  close(): Promise<void>
}

/** An HTTP proxy that tunnels with CONNECT, as corporate proxies and local ones (Clash, Squid) do. */
export async function startConnectProxy(): Promise<ConnectProxy> {
  const tunnels: string[] = []
  const sockets = new Set<Socket>()
  const server = createServer((_req, res) => res.writeHead(405).end())
  server.on('connect', (req, client: Socket, head: Buffer) => {
    const target = req.url ?? ''
    tunnels.push(target)
    const [host = '', port = '80'] = target.split(':')
    const upstream = connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      upstream.write(head)
      upstream.pipe(client).pipe(upstream)
    })
    for (const socket of [client, upstream]) {
      sockets.add(socket)
      socket.on('close', () => sockets.delete(socket))
      socket.on('error', () => (socket === client ? upstream : client).destroy())
    }
  })
  const port = await listen(server)
  return {
    url: `http://127.0.0.1:${port}`,
    tunnels,
    close: () => {
      for (const socket of sockets) socket.destroy()
      return shutdown(server)
    },
  }
}
