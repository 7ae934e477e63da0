import { createHmac, randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocketServer, type WebSocket } from 'ws'
import { listen, pause, shutdown, Waiters } from './http'

/** Paths of Spark's WebSocket API and the domains each accepts (reference/providers.md). */
const DOMAINS_BY_PATH: Record<string, readonly string[]> = {
  '/v1.1/chat': ['lite', 'general'],
  '/v2.1/chat': ['generalv2'],
  '/v3.1/chat': ['generalv3'],
  '/v3.5/chat': ['generalv3.5'],
  '/v4.0/chat': ['4.0Ultra'],
  '/chat/pro-128k': ['pro-128k'],
  '/chat/max-32k': ['max-32k'],
}

export interface FakeSparkCredentials {
  appId: string
  apiKey: string
  apiSecret: string
}

/** What the next session gets instead of a normal answer. */
export type FakeSparkBehaviour =
  /** A frame with `header.code` after `afterFrames` content frames, then the server closes. */
  | { kind: 'error'; code: number; message?: string; afterFrames?: number }
  /** Reads the request and never answers. */
  | { kind: 'hang' }

export interface SparkSession {
  readonly path: string
  /** The `api_key` the URL was signed for. */
  readonly apiKey: string
  readonly at: number
  request: SparkRequest | undefined
  /** The client closed the socket before the server ended the session. */
  clientClosed: boolean
}

export interface SparkRequest {
  header: { app_id: string; uid?: string }
  parameter: { chat: { domain: string; temperature?: number; max_tokens?: number } }
  payload: { message: { text: { role: string; content: string }[] } }
}

export interface FakeSpark {
  /** `ws://127.0.0.1:port`, as an instance's `url`. */
  readonly url: string
  readonly credentials: FakeSparkCredentials
  readonly sessions: SparkSession[]
  /** Refused handshakes: status and the JSON message sent. */
  readonly refusals: { status: number; message: string }[]
  frameDelayMs: number
  answer: (prompt: string) => string
  enqueue(...behaviours: FakeSparkBehaviour[]): void
  clientClose(): Promise<SparkSession>
  close(): Promise<void>
}

export interface FakeSparkOptions {
  credentials?: FakeSparkCredentials
  /** Other apps the gateway knows besides `credentials` (an account with several apps). */
  moreCredentials?: FakeSparkCredentials[]
  frameDelayMs?: number
  port?: number
}

function refuse(socket: Duplex, status: number, message: string) {
  const body = JSON.stringify({ message })
  const reason = status === 401 ? 'Unauthorized' : status === 403 ? 'Forbidden' : 'Not Found'
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  )
}

/** Checks the signed URL as Spark's gateway does: known key, date within 300 s, HMAC over host/date/path. */
function verify(
  req: IncomingMessage,
  apps: readonly FakeSparkCredentials[],
): { status: number; message: string } | FakeSparkCredentials {
  const url = new URL(req.url ?? '/', 'ws://placeholder')
  const authorization = url.searchParams.get('authorization')
  const date = url.searchParams.get('date')
  const host = url.searchParams.get('host')
  if (!authorization || !date || !host) return { status: 401, message: 'Unauthorized' }
  const at = Date.parse(date)
  if (Number.isNaN(at) || Math.abs(Date.now() - at) > 300_000) {
    return {
      status: 403,
      message:
        'HMAC signature cannot be verified, a valid date or x-date header is required for HMAC Authentication',
    }
  }
  const decoded = Buffer.from(authorization, 'base64').toString('utf8')
  const fields = Object.fromEntries([...decoded.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]))
  const credentials = apps.find((app) => app.apiKey === fields.api_key)
  if (!credentials) return { status: 401, message: 'HMAC signature cannot be verified' }
  if (fields.algorithm !== 'hmac-sha256' || fields.headers !== 'host date request-line') {
    return { status: 401, message: 'HMAC signature cannot be verified' }
  }
  if (host !== req.headers.host) return { status: 401, message: 'HMAC signature does not match' }
  const origin = `host: ${req.headers.host}\ndate: ${date}\nGET ${url.pathname} HTTP/1.1`
  const expected = createHmac('sha256', credentials.apiSecret).update(origin).digest('base64')
  if (fields.signature !== expected) return { status: 401, message: 'HMAC signature does not match' }
  return credentials
}

const piecesOf = (text: string) => text.match(/(\s*\S+){1,2}/g) ?? ['']

export async function startFakeSpark(options: FakeSparkOptions = {}): Promise<FakeSpark> {
  const credentials = options.credentials ?? {
    appId: 'app-fake',
    apiKey: 'key-fake',
    apiSecret: 'secret-fake',
  }
  const apps = [credentials, ...(options.moreCredentials ?? [])]
  const queue: FakeSparkBehaviour[] = []
  const sessions: SparkSession[] = []
  const refusals: FakeSpark['refusals'] = []
  const closes = new Waiters<SparkSession>()
  const wss = new WebSocketServer({ noServer: true })

  const fake: FakeSpark = {
    url: '',
    credentials,
    sessions,
    refusals,
    frameDelayMs: options.frameDelayMs ?? 0,
    answer: (prompt) => `Spark answer to: ${prompt}`,
    enqueue: (...behaviours) => queue.push(...behaviours),
    clientClose: () => {
      const closed = sessions.find((s) => s.clientClosed)
      return closed ? Promise.resolve(closed) : closes.next()
    },
    close: async () => {
      for (const client of wss.clients) client.terminate()
      wss.close()
      await shutdown(server)
    },
  }

  async function answer(
    ws: WebSocket,
    session: SparkSession,
    request: SparkRequest,
    app: FakeSparkCredentials,
    finish: () => void,
  ) {
    const sid = `cht000${randomBytes(6).toString('hex')}@dx`
    const frame = (status: number, code = 0, message = 'Success', payload?: unknown) =>
      JSON.stringify({ header: { code, message, sid, status }, ...(payload ? { payload } : {}) })
    const text = request.payload?.message?.text ?? []
    const domains = DOMAINS_BY_PATH[session.path] ?? []
    if (request.header?.app_id !== app.appId || !domains.includes(request.parameter?.chat?.domain)) {
      ws.send(frame(2, 10163, 'schema check failed: app_id or domain does not match'))
      return finish()
    }
    const behaviour = queue.shift()
    if (behaviour?.kind === 'hang') return
    const prompt = text.findLast((m) => m.role === 'user')?.content ?? ''
    const pieces = piecesOf(fake.answer(prompt))
    const content = (status: number, seq: number, piece: string) => ({
      choices: { status, seq, text: [{ content: piece, role: 'assistant', index: 0 }] },
    })
    for (const [seq, piece] of pieces.entries()) {
      if (behaviour?.kind === 'error' && seq === (behaviour.afterFrames ?? 0)) {
        ws.send(frame(2, behaviour.code, behaviour.message ?? `error ${behaviour.code}`))
        return finish()
      }
      if (fake.frameDelayMs > 0) await pause(fake.frameDelayMs)
      if (session.clientClosed) return
      const last = seq === pieces.length - 1
      if (!last) {
        ws.send(frame(seq === 0 ? 0 : 1, 0, 'Success', content(seq === 0 ? 0 : 1, seq, piece)))
        continue
      }
      const question = (prompt.match(/\S+/g) ?? []).length
      const promptTokens = text.reduce((sum, m) => sum + (m.content.match(/\S+/g) ?? []).length, 0)
      const completion = pieces.length
      ws.send(
        frame(2, 0, 'Success', {
          ...content(2, seq, piece),
          usage: {
            text: {
              question_tokens: question,
              prompt_tokens: promptTokens,
              completion_tokens: completion,
              total_tokens: promptTokens + completion,
            },
          },
        }),
      )
      finish()
    }
  }

  function accept(ws: WebSocket, path: string, app: FakeSparkCredentials) {
    const session: SparkSession = {
      path,
      apiKey: app.apiKey,
      at: Date.now(),
      request: undefined,
      clientClosed: false,
    }
    sessions.push(session)
    let serverEnded = false
    const finish = () => {
      serverEnded = true
      ws.close(1000)
    }
    ws.on('close', () => {
      if (serverEnded) return
      session.clientClosed = true
      closes.notify(session)
    })
    ws.once('message', (data) => {
      try {
        session.request = JSON.parse(String(data)) as SparkRequest
      } catch {
        ws.send(JSON.stringify({ header: { code: 10002, message: 'invalid json', sid: '', status: 2 } }))
        return finish()
      }
      void answer(ws, session, session.request, app, finish)
    })
  }

  const server = createServer((_req, res) => res.writeHead(426).end())
  server.on('upgrade', (req, socket, head) => {
    const path = new URL(req.url ?? '/', 'ws://placeholder').pathname
    if (!DOMAINS_BY_PATH[path]) {
      refusals.push({ status: 404, message: 'no Route matched with those values' })
      return refuse(socket, 404, 'no Route matched with those values')
    }
    const verified = verify(req, apps)
    if ('status' in verified) {
      refusals.push(verified)
      return refuse(socket, verified.status, verified.message)
    }
    wss.handleUpgrade(req, socket, head, (ws) => accept(ws, path, verified))
  })
  const port = await listen(server, options.port)
  return Object.assign(fake, { url: `ws://127.0.0.1:${port}` })
}
