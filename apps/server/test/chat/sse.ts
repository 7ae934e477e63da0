import { request, type IncomingHttpHeaders, type IncomingMessage } from 'node:http'

/** One event as the server framed it, data decoded from JSON. */
export interface WireEvent {
  readonly id: string | undefined
  readonly event: string
  readonly data: Record<string, unknown>
}

/**
 * Reads an event stream over its own connection (no pooling: closing it is a browser losing its network),
 * whatever the method, keeping every event.
 */
export class EventLog {
  readonly events: WireEvent[] = []
  ended = false
  private readonly finished: Promise<void>
  private buffer = ''

  private constructor(readonly response: IncomingMessage) {
    response.setEncoding('utf8')
    this.finished = new Promise((resolve) => {
      response.on('data', (chunk: string) => this.receive(chunk))
      response.on('close', () => {
        this.ended = true
        resolve()
      })
    })
  }

  static open(
    url: string,
    options: { method?: string; headers?: Record<string, string>; body?: string } = {},
  ) {
    return new Promise<EventLog>((resolve, reject) => {
      const req = request(
        url,
        { method: options.method ?? 'GET', headers: options.headers, agent: false },
        (res) => resolve(new EventLog(res)),
      )
      req.on('error', reject)
      req.end(options.body)
    })
  }

  /** POSTs a JSON body and reads the stream it answers with. */
  static post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<EventLog> {
    return EventLog.open(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    })
  }

  get status(): number {
    return this.response.statusCode ?? 0
  }

  get headers(): IncomingHttpHeaders {
    return this.response.headers
  }

  /** The text of one choice, joined from its deltas. */
  text(choice = 0): string {
    return this.events
      .filter((e) => e.event === 'message' && e.data.choice === choice)
      .map((e) => e.data.delta)
      .join('')
  }

  async until(check: (events: readonly WireEvent[]) => boolean, timeoutMs = 3000): Promise<void> {
    const deadline = Date.now() + timeoutMs
    while (!check(this.events)) {
      if (Date.now() > deadline) throw new Error(`timed out; events so far: ${JSON.stringify(this.events)}`)
      if (this.ended) throw new Error(`the stream ended first; events: ${JSON.stringify(this.events)}`)
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
  }

  /** Waits for the end of the stream. */
  async end(): Promise<WireEvent[]> {
    await this.finished
    return this.events
  }

  close(): void {
    this.response.destroy()
  }

  private receive(chunk: string): void {
    this.buffer += chunk
    let cut: number
    while ((cut = this.buffer.indexOf('\n\n')) >= 0) {
      this.frame(this.buffer.slice(0, cut))
      this.buffer = this.buffer.slice(cut + 2)
    }
  }

  private frame(text: string): void {
    const fields = new Map<string, string>()
    for (const line of text.split('\n')) {
      const colon = line.indexOf(':')
      if (colon <= 0) continue
      fields.set(line.slice(0, colon), line.slice(colon + 1).trimStart())
    }
    const data = fields.get('data')
    if (data === undefined) return
    this.events.push({
      id: fields.get('id'),
      event: fields.get('event') ?? 'message',
      data: JSON.parse(data),
    })
  }
}
