import type { ChatEvents, ChatRequest, DoneData, ErrorData, StartData } from '@kit/protocol'
import { createEventStream } from '@kit/sse-client'

export interface StreamAnswerOptions {
  /** Where the kit's server is, with any prefix it is mounted under. */
  readonly baseUrl: string
  readonly request: ChatRequest
  /** Gets each piece of the answer (choice 0) as it arrives: `process.stdout.write`, say. */
  readonly write: (text: string) => void
  /** `X-Kit-User` (anonymous servers) or `Authorization: Bearer <jwt>`: whose history the answer joins. */
  readonly headers?: Readonly<Record<string, string>>
  /** Asks the server to stop generating; the answer then ends with `done {reason: "aborted"}`. */
  readonly signal?: AbortSignal
}

export interface Answer extends StartData {
  /** Everything written, in order. */
  readonly text: string
  readonly done: DoneData
}

/** The server ended the answer with an `error` event: a refusal (quota, moderation) or a provider failure. */
export class AnswerError extends Error {
  override readonly name = 'AnswerError'
  constructor(readonly data: ErrorData) {
    super(`${data.code}: ${data.message}`)
  }
}

/**
 * Asks the kit's `POST /api/chat` and hands the answer to `write` piece by piece. A dropped connection
 * resumes the same answer with `GET /api/chat/streams/:id` after `Last-Event-ID`, so nothing is written
 * twice and the question is never sent again.
 */
export async function streamAnswer(options: StreamAnswerOptions): Promise<Answer> {
  const base = options.baseUrl.replace(/\/+$/, '')
  const headers = { ...options.headers, 'content-type': 'application/json' }
  let start: StartData | undefined
  let done: DoneData | undefined
  let failure: ErrorData | undefined
  let text = ''

  const stream = createEventStream<ChatEvents>(`${base}/api/chat`, {
    method: 'POST',
    body: JSON.stringify(options.request),
    headers,
    reconnect: () =>
      start ? { url: `${base}/api/chat/streams/${start.streamId}`, method: 'GET', body: null } : undefined,
  })
  // Stopping goes through the server, not by hanging up: it stops the provider and ends the answer cleanly.
  const stop = () => {
    if (!start) return
    const url = `${base}/api/chat/streams/${start.streamId}/stop`
    fetch(url, { method: 'POST', headers }).catch(() => stream.close())
  }
  stream.on('start', (data) => {
    start = data
    if (options.signal?.aborted) stop()
  })
  stream.on('message', ({ delta, choice }) => {
    if (choice !== 0) return
    text += delta
    options.write(delta)
  })
  stream.on('done', (data) => void (done = data))
  stream.on('error', (data) => void (failure = data))
  options.signal?.addEventListener('abort', stop, { once: true })

  const finish = await stream.finished
  options.signal?.removeEventListener('abort', stop)
  if (failure) throw new AnswerError(failure)
  if (start && done) return { ...start, text, done }
  throw finish.error ?? new Error(`the answer ended without its last event (${finish.reason})`)
}
