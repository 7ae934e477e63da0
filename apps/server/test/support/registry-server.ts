import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { ChannelRegistry, Subscriber } from '../../src/index'

export interface RegistryServer {
  readonly url: string
  readonly port: number
  /** Subscribers in connect order, to remove one of them (kept only with `recordSubscribers`). */
  readonly subscribers: Subscriber[]
  close(): Promise<void>
}

/** A bare node:http server whose every GET `/<key>` subscribes through the registry: no Express, no auth. */
export async function serveRegistry(
  registry: ChannelRegistry,
  { recordSubscribers = false } = {},
): Promise<RegistryServer> {
  const subscribers: Subscriber[] = []
  const server: Server = createServer((req, res) => {
    const key = (req.url ?? '/').slice(1)
    const header = req.headers['last-event-id']
    const lastEventId = typeof header === 'string' ? header : null
    void registry.connect(key, res, { lastEventId }).then((s) => recordSubscribers && subscribers.push(s))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    subscribers,
    async close() {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    },
  }
}
