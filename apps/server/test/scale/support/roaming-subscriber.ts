import { createHash, type Hash } from 'node:crypto'
import { get, type ClientRequest } from 'node:http'

export interface RoamingOptions {
  /** SSE URL of the key on each instance (tokens included). */
  readonly urls: readonly string[]
  readonly random: () => number
  /** How long each connection is kept before the subscriber drops it and moves on. */
  readonly holdMs: readonly [min: number, max: number]
}

/**
 * A subscriber that keeps dropping its connection and reconnecting to another instance, picked at random, with
 * `Last-Event-ID`, until it sees the terminal event. It checks as it reads that ids go up by exactly one,
 * and hashes every (id, event, data) so the whole stream can be compared with what was published.
 */
export class RoamingSubscriber {
  lastId = 0
  received = 0
  connections = 0
  readonly instancesUsed = new Set<number>()
  /** Ids that were not the next one expected: duplicates, gaps or reordering. */
  readonly violations: string[] = []
  done = false
  private readonly hash: Hash = createHash('sha256')
  private request: ClientRequest | null = null
  private stopped = false
  /** The instance of the current or last connection; -1 before the first. */
  private at = -1

  constructor(private readonly options: RoamingOptions) {}

  get digest(): string {
    return this.hash.copy().digest('hex')
  }

  /** Resolves when the terminal event arrived, or the subscriber was stopped. */
  run(): Promise<void> {
    return new Promise((resolve) => this.connect(resolve))
  }

  stop(): void {
    this.stopped = true
    this.request?.destroy()
  }

  private connect(finish: () => void): void {
    if (this.done || this.stopped) return finish()
    const { urls, random, holdMs } = this.options
    // Each reconnect moves to another instance, so that every subscriber really roams: a random pick
    // among all of them leaves a few subscribers on one instance all along in some runs.
    const at =
      this.at < 0
        ? Math.floor(random() * urls.length)
        : (this.at + 1 + Math.floor(random() * (urls.length - 1))) % urls.length
    this.at = at
    this.instancesUsed.add(at)
    this.connections += 1
    const headers = this.lastId > 0 ? { 'last-event-id': String(this.lastId) } : {}
    let buffer = ''
    let timer: NodeJS.Timeout | null = null
    const next = (): void => {
      if (this.request !== request) return
      this.request = null
      if (timer) clearTimeout(timer)
      request.destroy()
      setImmediate(() => this.connect(finish))
    }
    const request = get(urls[at] as string, { headers, agent: false }, (res) => {
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => {
        buffer += chunk
        let cut: number
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          this.frame(buffer.slice(0, cut))
          buffer = buffer.slice(cut + 2)
        }
        if (this.done) next()
      })
      res.on('close', next)
    })
    request.on('error', next)
    this.request = request
    const [min, max] = holdMs
    timer = setTimeout(next, min + random() * (max - min))
  }

  private frame(text: string): void {
    let id = 0
    let event = 'message'
    let data = ''
    for (const line of text.split('\n')) {
      if (line.startsWith('id: ')) id = Number(line.slice(4))
      else if (line.startsWith('event: ')) event = line.slice(7)
      else if (line.startsWith('data: ')) data = line.slice(6)
    }
    if (data === '') return
    if (id !== this.lastId + 1) this.violations.push(`got ${id} (${event}) after ${this.lastId}`)
    if (id <= this.lastId) return
    this.lastId = id
    this.received += 1
    this.hash.update(`${id}\n${event}\n${data}\n`)
    if (event === 'done' || event === 'error') this.done = true
  }
}
