// A real node:http server on port 0 that records every request and lets the test write each response by
// hand, so a test decides exactly which bytes arrive when, and sees when the client hangs up.
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface Exchange {
  method: string
  path: string
  headers: IncomingHttpHeaders
  body: string
  res: ServerResponse
  /** Resolves when the response is over: ended by the server or dropped by the client. */
  closed: Promise<void>
  /** Writes to the open event stream. */
  send(text: string): void
}

/** Answers one request; the default opens an event stream and leaves it to the test. */
export type Responder = (exchange: Exchange) => void

export const openStream: Responder = ({ res }) => {
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' })
  res.flushHeaders()
}

export const reply =
  (status: number, body = '', headers: Record<string, string> = {}): Responder =>
  ({ res }) =>
    void res.writeHead(status, headers).end(body)

/** Cuts the connection without a response, as a crashed server or a broken network would. */
export const hangUp: Responder = ({ res }) => void res.socket?.destroy()

export interface SseServer {
  url: string
  exchanges: Exchange[]
  /** The responders for the next requests, in order; the last one answers every request after. */
  respond(...responders: Responder[]): void
  /** The n-th request (0-based), once it has arrived. */
  request(n: number): Promise<Exchange>
  close(): Promise<void>
}

export async function startSseServer(): Promise<SseServer> {
  const exchanges: Exchange[] = []
  const waiters: Array<{ n: number; resolve: (exchange: Exchange) => void }> = []
  let responders: Responder[] = [openStream]

  const server = createServer(async (req, res) => {
    let body = ''
    for await (const chunk of req) body += chunk
    const exchange: Exchange = {
      method: req.method ?? '',
      path: req.url ?? '',
      headers: req.headers,
      body,
      res,
      closed: new Promise((resolve) => res.once('close', () => resolve())),
      send: (text) => void res.write(text),
    }
    const n = exchanges.push(exchange) - 1
    const responder = responders.length > 1 ? responders.shift()! : responders[0]!
    responder(exchange)
    for (const waiter of waiters.filter((w) => w.n === n)) waiter.resolve(exchange)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo

  return {
    url: `http://127.0.0.1:${port}`,
    exchanges,
    respond: (...next) => void (responders = next),
    request: (n) =>
      exchanges[n] ? Promise.resolve(exchanges[n]) : new Promise((resolve) => waiters.push({ n, resolve })),
    close: () => {
      server.closeAllConnections()
      return new Promise((resolve) => server.close(() => resolve()))
    },
  }
}
