// The client side of the server benchmarks. HTTP load tools cannot read event streams, and a full SSE
// client per connection would measure the client: this one speaks HTTP/1.1 over raw sockets, finds each
// event's `data:` line and reads the publish time it carries, and nothing else.
import { connect, type Socket } from 'node:net'
import { mintSubscribeToken } from '@kit/server'
import { now, percentile, serve, watchGc } from './processes'
import { TOKEN_SECRET } from './secrets'

interface Connection {
  readonly socket: Socket
  events: number
  rest: string
  open: boolean
}

const connections: Connection[] = []
let lags = new Float64Array(0)
let lagCount = 0
let lastEventAt = 0

const pathFor = (key: string): string =>
  `/api/events/${key}?token=${mintSubscribeToken(key, 3600, { secret: TOKEN_SECRET }).token}`

/** Counts the events in `chunk` and records the lag of each from the time in its data. */
function consume(c: Connection, chunk: string): void {
  const at = now()
  let text = c.rest + chunk
  if (!c.open) {
    const head = text.indexOf('\r\n\r\n')
    if (head < 0 || text.indexOf('retry:', head) < 0) {
      c.rest = text
      return
    }
    c.open = true
    text = text.slice(head + 4)
  }
  let pos = 0
  for (;;) {
    const d = text.indexOf('data: ', pos)
    const end = d < 0 ? -1 : text.indexOf('\n', d)
    if (end < 0) {
      c.rest = d < 0 ? text.slice(Math.max(pos, text.length - 6)) : text.slice(d)
      return
    }
    c.events += 1
    lastEventAt = at
    const t = text.indexOf('"t":', d)
    if (t >= 0 && t < end && lagCount < lags.length)
      lags[lagCount++] = at - parseFloat(text.slice(t + 4, t + 24))
    pos = end
  }
}

function open(port: number, path: string, onOpen: (c: Connection) => void): Connection {
  const socket = connect(port, '127.0.0.1')
  const c: Connection = { socket, events: 0, rest: '', open: false }
  socket.setEncoding('latin1')
  socket.on('data', (chunk: string) => {
    const wasOpen = c.open
    consume(c, chunk)
    if (!wasOpen && c.open) onOpen(c)
  })
  socket.on('error', () => undefined)
  socket.write(`GET ${path} HTTP/1.1\r\nHost: bench\r\nAccept: text/event-stream\r\n\r\n`)
  return c
}

/** Runs `count` jobs with at most `concurrency` at a time. */
async function pool(count: number, concurrency: number, job: (i: number) => Promise<void>): Promise<void> {
  let next = 0
  const lane = async (): Promise<void> => {
    while (next < count) await job(next++)
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane))
}

serve({
  ready: () => true,
  /** Opens `count` idle subscriptions (keys `${prefix}${i}`, or all `key`) and waits for each to open. */
  connect: async ({ port, count, prefix, key, concurrency }) => {
    await pool(
      count as number,
      (concurrency as number) ?? 200,
      (i) =>
        new Promise<void>((resolve) => {
          connections.push(open(port as number, pathFor((key as string) ?? `${prefix}${i}`), () => resolve()))
        }),
    )
    return { open: connections.filter((c) => c.open).length }
  },
  /** Waits until every connection has `events` events; answers the lag percentiles since `reset`. */
  expect: async ({ events, timeoutMs }) => {
    const target = events as number
    const deadline = Date.now() + ((timeoutMs as number) ?? 60_000)
    while (connections.some((c) => c.events < target)) {
      if (Date.now() > deadline) {
        const behind = connections.filter((c) => c.events < target).length
        throw new Error(`${behind} connections short of ${target} events`)
      }
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
    const sorted = lags.slice(0, lagCount).sort()
    return {
      lastEventAt,
      received: connections.reduce((n, c) => n + c.events, 0),
      lagP50: percentile(sorted, 50),
      lagP99: percentile(sorted, 99),
      lagMax: sorted[sorted.length - 1] ?? NaN,
    }
  },
  reset: ({ lagCapacity }) => {
    lags = new Float64Array(lagCapacity as number)
    lagCount = 0
  },
  /**
   * Subscribes to `count` keys, `concurrency` at a time; times each from the request to the first event
   * (the key holds an early send), keeps it open about `holdMs`, then closes. Answers the percentiles in ms.
   */
  firstEvent: async ({ port, count, prefix, concurrency, holdMs }) => {
    const times = new Float64Array(count as number)
    // The client is the instrument: its tokens are minted ahead and its heap collected before the clock
    // starts (its young generation is sized to last the run), so its own work and pauses stay out of the
    // times.
    const paths = Array.from({ length: count as number }, (_, i) => pathFor(`${prefix}${i}`))
    ;(globalThis.gc as () => void)()
    const gcPauses = watchGc()
    const hold = holdMs as number
    // Random holds and starts: 100 subscribers that arrive together every time would be a wave, not 100
    // concurrent subscribers, and the last of each wave would measure the other 99.
    const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))
    await pool(count as number, concurrency as number, async (i) => {
      if (i < (concurrency as number)) await pause(Math.random() * hold)
      await new Promise<void>((resolve) => {
        const started = now()
        const c = open(port as number, paths[i] as string, () => undefined)
        // Registered after open()'s own listener, so it sees the count that chunk brought.
        c.socket.on('data', () => {
          if (c.events === 0 || times[i]) return
          times[i] = now() - started
          setTimeout(
            () => {
              c.socket.destroy()
              resolve()
            },
            hold * (0.5 + Math.random()),
          )
        })
      })
    })
    const gc = gcPauses()
    const sorted = times.sort()
    return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted[sorted.length - 1], gc }
  },
  close: async () => {
    for (const c of connections.splice(0)) c.socket.destroy()
  },
})
