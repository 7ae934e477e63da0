import { createHash } from 'node:crypto'
import type { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PUBLISH_SECRET, startCluster, type Cluster, type Instance } from './support/cluster'
import { connectTestRedis, deletePrefix, testPrefix } from './support/redis'
import { RoamingSubscriber } from './support/roaming-subscriber'

const SUBSCRIBERS = 200
const EVENTS = 10_000
/** Publishes in flight at once, each to a random instance. */
const PUBLISHERS = 64
const KEY = 'chaos'
const SEED = Number(process.env.KIT_CHAOS_SEED ?? Date.now() % 2 ** 31)

/** Small, fast and seeded, so that a failing run can be replayed with KIT_CHAOS_SEED. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32
  }
}

const prefix = testPrefix()
let cluster: Cluster
let redis: Redis

beforeAll(async () => {
  redis = await connectTestRedis()
  cluster = await startCluster(3, {
    prefix,
    config: { channels: { replay: { maxEvents: EVENTS * 2, maxBytes: 16 * 1024 * 1024 } } },
  })
}, 60_000)

afterAll(async () => {
  await cluster?.close()
  await deletePrefix(redis, prefix)
  await redis.quit()
})

describe('chaos: roaming subscribers on three instances', () => {
  it(`${SUBSCRIBERS} subscribers that reconnect at random to random instances each get ${EVENTS} events once, in order`, async () => {
    const random = mulberry32(SEED)
    const instances = cluster.instances
    const urls = instances.map((instance) => instance.eventsUrl(KEY))
    const subscribers = Array.from(
      { length: SUBSCRIBERS },
      () => new RoamingSubscriber({ urls, random, holdMs: [200, 2000] }),
    )
    const startedAt = performance.now()
    const cpuAtStart = process.cpuUsage()
    const running = subscribers.map((s) => s.run())

    const published = new Map<number, string>()
    let next = 0
    const publisher = async (): Promise<void> => {
      while (next < EVENTS) {
        const n = ++next
        const data = JSON.stringify({ n, at: Date.now() })
        const via = instances[Math.floor(random() * instances.length)] as Instance
        const { id } = await via.publish(KEY, JSON.parse(data) as unknown)
        published.set(id, data)
      }
    }
    await Promise.all(Array.from({ length: PUBLISHERS }, publisher))
    const publishedIn = performance.now() - startedAt
    const ended = await fetch(`${instances[0]?.url}/api/events/${KEY}/complete`, {
      method: 'POST',
      headers: { authorization: `Bearer ${PUBLISH_SECRET}` },
    })
    expect(ended.status).toBe(200)
    let deadline: NodeJS.Timeout | undefined
    await Promise.race([
      Promise.all(running),
      new Promise((_, reject) => {
        deadline = setTimeout(() => reject(new Error(`seed ${SEED}: not done in time`)), 60_000)
      }),
    ]).finally(() => {
      clearTimeout(deadline)
      for (const s of subscribers) s.stop()
    })
    const elapsed = performance.now() - startedAt

    const expected = createHash('sha256')
    for (let id = 1; id <= EVENTS; id++) expected.update(`${id}\nmessage\n${published.get(id)}\n`)
    expected.update(`${EVENTS + 1}\ndone\n{"reason":"complete"}\n`)
    const digest = expected.digest('hex')
    const failures = subscribers.filter(
      (s) => s.violations.length > 0 || s.received !== EVENTS + 1 || s.digest !== digest,
    )
    expect(
      failures.map((s) => ({ received: s.received, violations: s.violations.slice(0, 3) })),
      `seed ${SEED}`,
    ).toEqual([])
    const connections = subscribers.reduce((n, s) => n + s.connections, 0)
    console.info(
      `chaos (seed ${SEED}): ${EVENTS} events published in ${(publishedIn / 1000).toFixed(1)} s, ` +
        `${SUBSCRIBERS} subscribers complete in ${(elapsed / 1000).toFixed(1)} s, ` +
        `${connections} connections (${(connections / SUBSCRIBERS).toFixed(1)} per subscriber), ` +
        `${(((EVENTS + 1) * SUBSCRIBERS) / (elapsed / 1000)).toFixed(0)} deliveries/s, ` +
        `test process CPU ${(process.cpuUsage(cpuAtStart).user / 1e6).toFixed(1)} s`,
    )
    expect(subscribers.every((s) => s.connections >= 3 && s.instancesUsed.size >= 2)).toBe(true)
    expect(connections).toBeGreaterThan(SUBSCRIBERS * 5)
  }, 120_000)
})
