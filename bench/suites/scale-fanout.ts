// Fan-out through Redis against the in-memory bus: real server processes (`src/main.ts`), 1,000 raw-socket
// subscribers on one channel (the server benchmarks' client, server-support/sse-client.ts), 60-byte events
// published over HTTP with the publish secret. Counts every delivery at the client and the lag of each
// event from its publish to its arrival. The servers run on core 0 and the client on core 1; Redis is the
// machine's own (127.0.0.1:6379), under a prefix of its own that is deleted afterwards.
import { execFileSync } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { startCluster, type Instance } from '../../apps/server/test/scale/support/cluster'
import { connectTestRedis, deletePrefix } from '../../apps/server/test/scale/support/redis'
import { now, startWorker, type Worker } from './server-support/processes'
import { TOKEN_SECRET } from './server-support/secrets'

const SUBSCRIBERS = 1_000
const EVENTS = 1_000
const WARM_UP = 20
const ROUNDS = 5
/** Publishes in flight at once. */
const CONCURRENCY = 16
const EVENT_BYTES = 60
const KEY = 'fan'

const setups = [
  { name: 'in memory, 1 instance', instances: 1, redis: false },
  { name: 'Redis, 1 instance', instances: 1, redis: true },
  {
    name: 'Redis, 3 instances on the same core (subscribers spread, publishes round-robin)',
    instances: 3,
    redis: true,
  },
] as const

interface Received {
  lastEventAt: number
  lagP50: number
  lagP99: number
  lagMax: number
}

interface Burst extends Received {
  readonly startedAt: number
  readonly publishedIn: number
}

/** A 60-byte JSON event carrying its publish time, which the client reads to compute the lag. */
function payload(): { t: number; pad: string } {
  const t = now()
  return { t, pad: 'x'.repeat(EVENT_BYTES - JSON.stringify({ t, pad: '' }).length) }
}

async function publishAll(instances: readonly Instance[], count: number): Promise<void> {
  let sent = 0
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (sent < count) await (instances[sent++ % instances.length] as Instance).publish(KEY, payload())
    }),
  )
}

/** Publishes a burst and waits until every subscriber has `total` events. */
async function burst(client: Worker, instances: readonly Instance[], total: number): Promise<Burst> {
  await client.request('reset', { lagCapacity: SUBSCRIBERS * EVENTS })
  const startedAt = now()
  await publishAll(instances, EVENTS)
  const publishedIn = now() - startedAt
  const got = await client.request<Received>('expect', { events: total, timeoutMs: 120_000 })
  return { ...got, startedAt, publishedIn }
}

const redis = await connectTestRedis('bench')
const rows: string[] = []
for (const setup of setups) {
  const prefix = `kit-bench:${randomUUID().slice(0, 8)}:`
  const cluster = await startCluster(setup.instances, {
    prefix,
    redisUrl: setup.redis ? undefined : null,
    tokenSecret: TOKEN_SECRET,
    config: { channels: { maxQueueBytes: 4 * 1024 * 1024 } },
  })
  const client = await startWorker(1, 'sse-client.ts')
  try {
    for (const instance of cluster.instances) execFileSync('taskset', ['-pc', '0', String(instance.pid)])
    for (const instance of cluster.instances) {
      const port = Number(new URL(instance.url).port)
      await client.request('connect', {
        port,
        count: SUBSCRIBERS / setup.instances,
        key: KEY,
        concurrency: 200,
      })
    }
    await publishAll(cluster.instances, WARM_UP)
    await client.request('expect', { events: WARM_UP })
    // The machine is shared: several bursts, and the one with the median throughput is reported.
    const bursts: Burst[] = []
    for (let round = 1; round <= ROUNDS; round++) {
      bursts.push(await burst(client, cluster.instances, WARM_UP + round * EVENTS))
    }
    const seconds = (b: Burst): number => (b.lastEventAt - b.startedAt) / 1000
    const median = bursts.sort((a, b) => seconds(a) - seconds(b))[Math.floor(ROUNDS / 2)] as Burst
    rows.push(
      `| ${setup.name} | ${Math.round(EVENTS / (median.publishedIn / 1000)).toLocaleString('en')} | ${Math.round((SUBSCRIBERS * EVENTS) / seconds(median)).toLocaleString('en')} | ${median.lagP50.toFixed(1)} | ${median.lagP99.toFixed(1)} | ${median.lagMax.toFixed(1)} |`,
    )
  } finally {
    await client.stop()
    await cluster.close()
    await deletePrefix(redis, prefix)
  }
}
await redis.quit()

console.log(`### Fan-out through Redis vs in memory (${SUBSCRIBERS.toLocaleString('en')} subscribers on one channel, ${EVENTS.toLocaleString('en')} events of ${EVENT_BYTES} bytes published over HTTP, ${CONCURRENCY} at a time; median of ${ROUNDS} bursts)

| bus | publishes/s | deliveries/s end to end | lag p50 (ms) | lag p99 (ms) | lag max (ms) |
|---|---|---|---|---|---|
${rows.join('\n')}
`)
