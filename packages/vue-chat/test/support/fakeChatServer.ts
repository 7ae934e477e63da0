// A stand-in for apps/server that speaks its wire protocol (docs/protocol.md) through msw: SSE headers,
// `retry:` first, `id:` a decimal sequence per channel, `start` / `message` / `done` | `error`, resume
// after Last-Event-ID on GET /api/chat/streams/:id (204 once gone), POST .../stop. Answers are played
// by the test, token by token, so every step is deterministic.
import {
  SSE_HEADERS,
  type ChatRequest,
  type DoneData,
  type ErrorData,
  type ProvidersResponse,
} from '@kit/protocol'
import { http, HttpResponse, type RequestHandler } from 'msw'

interface Frame {
  id: string
  event: string
  data: unknown
}

type Subscriber = (frame: Frame) => void

export class FakeChannel {
  readonly frames: Frame[] = []
  ended = false
  private readonly subscribers = new Set<Subscriber>()

  constructor(
    /** The channel key; for a chat answer, its stream id. */
    readonly streamId: string,
    readonly request?: ChatRequest,
  ) {}

  push(event: string, data: unknown): void {
    if (this.ended) throw new Error(`channel ${this.streamId} already ended`)
    const frame = { id: String(this.frames.length + 1), event, data }
    this.frames.push(frame)
    if (event === 'done' || event === 'error') this.ended = true
    for (const subscriber of [...this.subscribers]) subscriber(frame)
  }

  token(delta: string): void {
    this.push('message', { delta, choice: 0 })
  }

  done(data: DoneData = { reason: 'stop' }): void {
    this.push('done', data)
  }

  error(data: ErrorData): void {
    this.push('error', data)
  }

  /** Streams `text` in `size`-character tokens, then `done`. */
  play(text: string, size = 4): void {
    for (let i = 0; i < text.length; i += size) this.token(text.slice(i, i + size))
    this.done()
  }

  subscribe(subscriber: Subscriber): () => void {
    this.subscribers.add(subscriber)
    return () => this.subscribers.delete(subscriber)
  }

  /** Ends every open connection without a terminal event, as a network drop would. */
  drop(): void {
    for (const subscriber of [...this.subscribers]) subscriber({ id: '', event: '', data: undefined })
  }
}

const encoder = new TextEncoder()

function frameText(frame: Frame): string {
  return `id: ${frame.id}\nevent: ${frame.event}\ndata: ${JSON.stringify(frame.data)}\n\n`
}

/** One HTTP response on `channel`: replays after `lastEventId`, then goes live until the end or a drop. */
export function connection(channel: FakeChannel, lastEventId: string): Response {
  let unsubscribe = () => {}
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      const close = () => {
        unsubscribe()
        controller.close()
      }
      controller.enqueue(encoder.encode('retry: 20\n\n'))
      for (const frame of channel.frames.slice(Number(lastEventId || 0))) {
        controller.enqueue(encoder.encode(frameText(frame)))
      }
      if (channel.ended) return close()
      unsubscribe = channel.subscribe((frame) => {
        if (!frame.id) return close()
        controller.enqueue(encoder.encode(frameText(frame)))
        if (channel.ended) close()
      })
    },
    cancel() {
      unsubscribe()
    },
  })
  return new HttpResponse(body, { headers: SSE_HEADERS })
}

export interface RecordedRequest {
  method: string
  path: string
  lastEventId: string | null
  authorization: string | null
  body?: unknown
}

export const providersResponse: ProvidersResponse = {
  default: 'demo',
  providers: [
    { name: 'demo', type: 'demo', models: ['demo-1'], defaultModel: 'demo-1', demo: true },
    {
      name: 'openai',
      type: 'openai',
      models: ['gpt-4o-mini', 'gpt-4o'],
      defaultModel: 'gpt-4o-mini',
      demo: false,
    },
  ],
  templates: [{ name: 'translate', label: 'Translate into…', args: ['language'] }],
}

export interface FakeChatServer {
  handlers: RequestHandler[]
  channels: Map<string, FakeChannel>
  requests: RecordedRequest[]
  /** What `GET /api/quota` answers as `remaining`. */
  quota: { remaining: number | null }
  /** The channel of the next `POST /api/chat` (or the one already made and not yet taken). */
  nextAnswer(): Promise<FakeChannel>
  /** Forgets a stream, as a server restart would: resuming it answers 204. */
  forget(streamId: string): void
  /** An answer the server is generating already (its `start` sent), e.g. from before a reload. */
  answerInProgress(streamId: string, conversationId: string): FakeChannel
}

export function createFakeChatServer(): FakeChatServer {
  const channels = new Map<string, FakeChannel>()
  const requests: RecordedRequest[] = []
  const waiting: Array<(channel: FakeChannel) => void> = []
  const unclaimed: FakeChannel[] = []
  let next = 0
  const quota = { remaining: null as number | null }

  const record = async (request: Request, withBody = false) => {
    requests.push({
      method: request.method,
      path: new URL(request.url).pathname,
      lastEventId: request.headers.get('last-event-id'),
      authorization: request.headers.get('authorization'),
      ...(withBody ? { body: await request.clone().json() } : {}),
    })
  }

  const handlers: RequestHandler[] = [
    http.post('*/api/chat', async ({ request }) => {
      await record(request, true)
      const body = (await request.json()) as ChatRequest
      next++
      const channel = new FakeChannel(String(1000 + next), body)
      channels.set(channel.streamId, channel)
      channel.push('start', {
        streamId: channel.streamId,
        conversationId: body.conversationId ?? `conv-${next}`,
        messageId: String(next),
      })
      const response = connection(channel, '')
      const waiter = waiting.shift()
      if (waiter) waiter(channel)
      else unclaimed.push(channel)
      return response
    }),
    http.get('*/api/chat/streams/:id', async ({ request, params }) => {
      await record(request)
      const channel = channels.get(String(params.id))
      if (!channel) return new HttpResponse(null, { status: 204 })
      return connection(channel, request.headers.get('last-event-id') ?? '')
    }),
    http.post('*/api/chat/streams/:id/stop', async ({ request, params }) => {
      await record(request)
      const channel = channels.get(String(params.id))
      if (!channel)
        return HttpResponse.json({ error: { code: 'not_found', message: 'No such stream' } }, { status: 404 })
      if (!channel.ended) channel.done({ reason: 'aborted' })
      return HttpResponse.json({ stopped: true })
    }),
    http.get('*/api/providers', async ({ request }) => {
      await record(request)
      return HttpResponse.json(providersResponse)
    }),
    http.get('*/api/quota', async ({ request }) => {
      await record(request)
      return HttpResponse.json({ remaining: quota.remaining })
    }),
  ]

  return {
    handlers,
    channels,
    requests,
    quota,
    nextAnswer() {
      const channel = unclaimed.shift()
      return channel ? Promise.resolve(channel) : new Promise((resolve) => waiting.push(resolve))
    },
    forget(streamId) {
      channels.delete(streamId)
    },
    answerInProgress(streamId, conversationId) {
      const channel = new FakeChannel(streamId)
      channels.set(streamId, channel)
      channel.push('start', { streamId, conversationId, messageId: `m-${streamId}` })
      return channel
    },
  }
}
