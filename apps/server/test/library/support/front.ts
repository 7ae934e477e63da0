import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/** What the front does with one request instead of forwarding it. */
export type FrontAnswer =
  | { readonly status: number; readonly headers?: Record<string, string>; readonly body?: string }
  /** Reads the request, then destroys the connection without an answer. */
  | 'reset'
  /** Never answers. */
  | 'hang'

export interface Front {
  readonly url: string
  /** Paths of every request received, in order. */
  readonly paths: string[]
  /** The next requests get these answers, one each; the others are forwarded to the upstream. */
  script(...answers: FrontAnswer[]): void
  close(): Promise<void>
}

/**
 * A real HTTP hop in front of the kit's server, like a load balancer, that can be told to fail the next
 * requests in a given way: how a client behaves on each failure is then visible in `paths`.
 */
export async function startFront(upstream: string): Promise<Front> {
  const target = new URL(upstream)
  const paths: string[] = []
  const scripted: FrontAnswer[] = []

  const forward = (req: IncomingMessage, res: ServerResponse) => {
    const options = { host: target.hostname, port: target.port, method: req.method, headers: req.headers }
    const upstreamReq = request({ ...options, path: req.url }, (upstreamRes) => {
      res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers)
      upstreamRes.pipe(res)
    })
    upstreamReq.on('error', () => res.destroy())
    req.pipe(upstreamReq)
  }

  const server = createServer((req, res) => {
    paths.push(req.url ?? '')
    const answer = scripted.shift()
    if (answer === undefined) return forward(req, res)
    req.resume()
    req.on('end', () => {
      if (answer === 'reset') res.socket?.destroy()
      else if (answer !== 'hang') res.writeHead(answer.status, answer.headers).end(answer.body)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    paths,
    script: (...answers) => void scripted.push(...answers),
    async close() {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    },
  }
}
