import { connect, createServer, type Socket } from 'node:net'

export interface Socks5Proxy {
  /** `socks5://127.0.0.1:port` */
  readonly url: string
  readonly port: number
  /** `host:port` of every CONNECT asked for, as the client named it (a name or an address). */
  readonly connects: string[]
  close(): Promise<void>
}

/** Reads the destination of a CONNECT request (RFC 1928 §4); undefined while more bytes are needed. */
function destination(buffer: Buffer): { host: string; port: number; length: number } | undefined {
  if (buffer.length < 5) return undefined
  const type = buffer[3]
  const start = 4
  const hostLength = type === 1 ? 4 : type === 4 ? 16 : 1 + buffer[4]!
  const length = start + hostLength + 2
  if (buffer.length < length) return undefined
  const raw = buffer.subarray(start, start + hostLength)
  const host =
    type === 1
      ? [...raw].join('.')
      : type === 4
        ? (raw.toString('hex').match(/.{4}/g) ?? []).join(':')
        : raw.subarray(1).toString('latin1')
  return { host, port: buffer.readUInt16BE(start + hostLength), length }
}

/**
 * A SOCKS5 proxy without authentication that serves CONNECT only: what `ssh -D`, Shadowsocks clients and
 * Clash offer locally, and what the source system's `proxy-type: socks` spoke to.
 */
export async function startSocks5Proxy(): Promise<Socks5Proxy> {
  const connects: string[] = []
  const sockets = new Set<Socket>()
  const track = (socket: Socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  }

  const server = createServer((client) => {
    track(client)
    client.on('error', () => client.destroy())
    let buffer = Buffer.alloc(0)
    let phase: 'greeting' | 'request' = 'greeting'
    const onData = (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk])
      if (phase === 'greeting') {
        if (buffer.length < 2 || buffer.length < 2 + buffer[1]!) return
        if (buffer[0] !== 5 || !buffer.subarray(2, 2 + buffer[1]!).includes(0)) {
          client.end(Buffer.from([5, 0xff]))
          return
        }
        buffer = buffer.subarray(2 + buffer[1]!)
        phase = 'request'
        client.write(Buffer.from([5, 0]))
      }
      const target = destination(buffer)
      if (!target) return
      client.off('data', onData)
      client.pause()
      if (buffer[1] !== 1) {
        client.end(Buffer.from([5, 7, 0, 1, 0, 0, 0, 0, 0, 0]))
        return
      }
      connects.push(`${target.host}:${target.port}`)
      const rest = buffer.subarray(target.length)
      const upstream = connect(target.port, target.host, () => {
        client.write(Buffer.from([5, 0, 0, 1, 0, 0, 0, 0, 0, 0]))
        if (rest.length > 0) upstream.write(rest)
        upstream.pipe(client).pipe(upstream)
      })
      track(upstream)
      upstream.on('error', () => {
        if (client.writable) client.end(Buffer.from([5, 5, 0, 1, 0, 0, 0, 0, 0, 0]))
        client.destroy()
      })
      client.on('error', () => upstream.destroy())
    }
    client.on('data', onData)
  })
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port))
  })
  return {
    url: `socks5://127.0.0.1:${port}`,
    port,
    connects,
    close: () => {
      for (const socket of sockets) socket.destroy()
      return new Promise((resolve) => server.close(() => resolve()))
    },
  }
}
