// The server side of the server benchmarks, in one of three shapes:
//   plain    node:http and a Map of responses, each event written to each response as it is sent: the
//            floor any Node SSE server pays per connection, and the naive fan-out;
//   express  the kit's app served by Express alone (createServer(createKitApp(...))): what the kit cost
//            before event streams were taken ahead of Express;
//   kit      the kit's own server (startServer: event streams ahead of Express, the rest through it).
import { createServer, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks'
import { SSE_HEADERS } from '@kit/protocol'
import { createChannelRegistry, createKitApp, createKitRouter, createLogger, startServer } from '@kit/server'
import { now, serve, watchGc, type GcPauses } from './processes'
import { PUBLISH_SECRET, TOKEN_SECRET } from './secrets'

const mode = process.argv[2] ?? 'kit'
const gc = globalThis.gc as () => void

let port = 0
let connections: () => number
let publish: (key: string, data: unknown) => Promise<unknown>

function keepOpen(responses: Map<string, Set<ServerResponse>>, key: string, res: ServerResponse): void {
  let set = responses.get(key)
  if (!set) responses.set(key, (set = new Set()))
  set.add(res)
  res.on('close', () => {
    set.delete(res)
    if (set.size === 0) responses.delete(key)
  })
}

const listen = async (server: Server): Promise<number> => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return (server.address() as AddressInfo).port
}

const channels = { heartbeatMs: 15_000, maxQueueBytes: 4 * 1024 * 1024 }

if (mode === 'kit') {
  const running = await startServer(
    {
      port: 0,
      host: '127.0.0.1',
      publishSecret: PUBLISH_SECRET,
      tokenSecret: TOKEN_SECRET,
      log: { level: 'silent' },
      demo: { enabled: false },
      channels,
    },
    { production: false },
  )
  port = running.port
  connections = () => running.registry.stats().connections
  publish = (key, data) => running.registry.send(key, 'message', data)
} else if (mode === 'express') {
  const logger = createLogger({ level: 'silent' })
  const registry = createChannelRegistry({ logger, ...channels })
  const router = createKitRouter({
    registry,
    logger,
    publishSecret: PUBLISH_SECRET,
    tokenSecret: TOKEN_SECRET,
    demo: false,
  })
  port = await listen(createServer(createKitApp({ router, logger })))
  connections = () => registry.stats().connections
  publish = (key, data) => registry.send(key, 'message', data)
} else {
  // The naive server: each event written to each response as it is sent, early sends kept per key.
  const responses = new Map<string, Set<ServerResponse>>()
  const early = new Map<string, string>()
  let count = 0
  let seq = 0
  connections = () => count
  publish = async (key, data) => {
    const frame = `id: ${++seq}\nevent: message\ndata: ${JSON.stringify(data)}\n\n`
    const set = responses.get(key)
    if (set) for (const res of set) res.write(frame)
    else early.set(key, (early.get(key) ?? '') + frame)
  }
  port = await listen(
    createServer((req, res) => {
      const key = new URL(req.url ?? '/', 'http://x').pathname.split('/').pop() ?? ''
      res.writeHead(200, SSE_HEADERS)
      res.write(`retry: 1000\n\n${early.get(key) ?? ''}`)
      early.delete(key)
      count += 1
      res.on('close', () => (count -= 1))
      keepOpen(responses, key, res)
    }),
  )
}

/** One event of exactly `bytes` bytes of JSON, whatever the length of the timestamp it carries. */
function publishTimed(key: string, bytes: number): Promise<unknown> {
  const t = now()
  return publish(key, { t, p: 'x'.repeat(bytes - JSON.stringify({ t, p: '' }).length) })
}

let delay: IntervalHistogram | null = null
let gcPauses: (() => GcPauses) | null = null

serve({
  ready: () => ({ port, mode }),
  connections: () => connections(),
  memory: () => {
    for (let i = 0; i < 4; i++) gc()
    const { rss, heapUsed } = process.memoryUsage()
    return { rss, heapUsed, connections: connections() }
  },
  /** Publishes `count` events of `bytes` bytes of JSON each to `key`, `batch` per turn of the event loop. */
  fanout: async ({ key, count, batch, bytes }) => {
    const startedAt = now()
    for (let i = 0; i < (count as number); i++) {
      await publishTimed(key as string, bytes as number)
      if ((i + 1) % (batch as number) === 0) await new Promise((resolve) => setImmediate(resolve))
    }
    return { startedAt, finishedAt: now() }
  },
  /** Publishes `count` events to `key` at `rate` per second, each on its own timer tick. */
  paced: async ({ key, count, rate, bytes }) => {
    const startedAt = now()
    for (let i = 0; i < (count as number); i++) {
      const due = startedAt + (i * 1000) / (rate as number)
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - now())))
      await publishTimed(key as string, bytes as number)
    }
    return { startedAt, finishedAt: now() }
  },
  /** One early send on each of `count` keys, so that a subscriber's first event is a replay. */
  prepublish: async ({ prefix, count }) => {
    for (let i = 0; i < (count as number); i++) await publish(`${prefix}${i}`, { t: now(), p: 'x' })
  },
  delayStart: () => {
    delay = monitorEventLoopDelay({ resolution: 1 })
    delay.enable()
    gcPauses = watchGc()
  },
  delayStop: () => {
    delay?.disable()
    const result = {
      p50: (delay?.percentile(50) ?? NaN) / 1e6,
      p99: (delay?.percentile(99) ?? NaN) / 1e6,
      max: (delay?.max ?? NaN) / 1e6,
      gc: gcPauses?.(),
    }
    delay = null
    gcPauses = null
    return result
  },
})
