import { get, type IncomingHttpHeaders, type IncomingMessage } from 'node:http'
import { createGunzip } from 'node:zlib'
import { waitFor } from './wait'

export interface SseEvent {
  readonly id: string | undefined
  readonly event: string
  readonly data: string
}

/**
 * A deliberately plain SSE reader over node:http, for asserting the exact bytes and frames the server
 * writes (the EventSource client hides comments, `retry:` and frame boundaries).
 */
export class SseReader {
  readonly events: SseEvent[] = []
  readonly comments: string[] = []
  retry: number | undefined
  raw = ''
  ended = false
  /** Milliseconds from the request to each event's arrival, in order. */
  readonly arrivals: number[] = []
  private buffer = ''

  private constructor(
    readonly response: IncomingMessage,
    private readonly startedAt: number,
  ) {
    // A proxy may gzip the stream (the nginx test shows why it must not); read it all the same.
    const body = response.headers['content-encoding'] === 'gzip' ? response.pipe(createGunzip()) : response
    body.setEncoding('utf8')
    body.on('data', (chunk: string) => this.onData(chunk))
    body.on('end', () => (this.ended = true))
    // A destroyed response never ends; the gunzip stream ends once it has everything.
    if (body === response) response.on('close', () => (this.ended = true))
  }

  static open(url: string, headers: Record<string, string> = {}): Promise<SseReader> {
    const startedAt = performance.now()
    return new Promise((resolve, reject) => {
      get(url, { headers }, (res) => resolve(new SseReader(res, startedAt))).on('error', reject)
    })
  }

  get status(): number {
    return this.response.statusCode ?? 0
  }

  get headers(): IncomingHttpHeaders {
    return this.response.headers
  }

  get data(): unknown[] {
    return this.events.map((e) => JSON.parse(e.data))
  }

  async waitForEvents(count: number, timeoutMs = 3000): Promise<SseEvent[]> {
    await waitFor(
      `${count} events (have ${this.events.length})`,
      () => this.events.length >= count,
      timeoutMs,
    )
    return this.events.slice(0, count)
  }

  async waitForEnd(timeoutMs = 3000): Promise<void> {
    await waitFor('the end of the stream', () => this.ended, timeoutMs)
  }

  close(): void {
    this.response.destroy()
  }

  private onData(chunk: string): void {
    this.raw += chunk
    this.buffer += chunk
    let cut: number
    while ((cut = this.buffer.indexOf('\n\n')) >= 0) {
      const frame = this.buffer.slice(0, cut)
      this.buffer = this.buffer.slice(cut + 2)
      this.onFrame(frame)
    }
  }

  private onFrame(frame: string): void {
    let id: string | undefined
    let event = 'message'
    const data: string[] = []
    for (const line of frame.split('\n')) {
      if (line.startsWith(':')) this.comments.push(line.slice(1).trim())
      else if (line.startsWith('retry: ')) this.retry = Number(line.slice(7))
      else if (line.startsWith('id: ')) id = line.slice(4)
      else if (line.startsWith('event: ')) event = line.slice(7)
      else if (line.startsWith('data: ')) data.push(line.slice(6))
    }
    if (data.length === 0) return
    this.events.push({ id, event, data: data.join('\n') })
    this.arrivals.push(performance.now() - this.startedAt)
  }
}
