import { readFile } from 'node:fs/promises'
import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import { extname } from 'node:path'
import { Readable } from 'node:stream'
import type { ReadableStream as NodeReadableStream } from 'node:stream/web'

export interface SeenRequest {
  method: string
  contentType: string | undefined
  lastEventId: string | undefined
  body: string
}

export interface Front {
  readonly url: string
  /** Every request to `/api/sse`, in order. */
  readonly requests: SeenRequest[]
  /** Resolves once `count` requests reached `/api/sse`. */
  waitForRequests(count: number): Promise<void>
  close(): Promise<void>
}

const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
}

async function bodyOf(req: IncomingMessage): Promise<string> {
  let body = ''
  for await (const chunk of req) body += String(chunk)
  return body
}

/**
 * The application in front of the kit, as the examples assume it: files at `/`, and `/api/sse`, which
 * streams the kit's channel `channel()` (a subscribe URL with its token) whatever the method, so the
 * examples' GET and POST both get the kit's own response, headers and all.
 */
export async function startFront(channel: () => string, files: Record<string, string>): Promise<Front> {
  const requests: SeenRequest[] = []
  const waiters = new Set<() => void>()
  const server = createServer((req, res) => {
    void (async () => {
      if (req.url !== '/api/sse') {
        const file = files[req.url ?? '']
        if (!file) return void res.writeHead(404).end()
        res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' })
        return void res.end(await readFile(file))
      }
      const lastEventId = req.headers['last-event-id'] as string | undefined
      requests.push({
        method: req.method ?? '',
        contentType: req.headers['content-type'],
        lastEventId,
        body: await bodyOf(req),
      })
      waiters.forEach((wake) => wake())
      const abort = new AbortController()
      res.once('close', () => abort.abort())
      const upstream = await fetch(channel(), {
        headers: lastEventId ? { 'last-event-id': lastEventId } : {},
        signal: abort.signal,
      })
      res.writeHead(upstream.status, Object.fromEntries(upstream.headers))
      if (upstream.body)
        Readable.fromWeb(upstream.body as NodeReadableStream)
          .on('error', () => res.destroy())
          .pipe(res)
      else res.end()
    })().catch(() => res.destroy())
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    waitForRequests: (count) =>
      new Promise((resolve) => {
        const check = () => {
          if (requests.length < count) return
          waiters.delete(check)
          resolve()
        }
        waiters.add(check)
        check()
      }),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
