import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Redis } from 'ioredis'
import type pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createMemoryLimits } from '../../src/limits/memory'
import { createRedisLimits } from '../../src/limits/redis'
import { createMemoryQuotas } from '../../src/storage/memory/quotas'
import { openPostgres } from '../../src/storage/postgres/database'
import { createPostgresQuotas } from '../../src/storage/postgres/quotas'
import { createRedisQuotas } from '../../src/storage/redis/quotas'
import { openDatabase } from '../../src/storage/sqlite/database'
import { createSqliteQuotas } from '../../src/storage/sqlite/quotas'
import type { LimitStore, QuotaAsk, QuotaCounter } from '../../src/storage/types'
import { DATABASE_URL, testSchema } from '../scale/support/postgres'
import { connectTestRedis, deletePrefix, testPrefix } from '../scale/support/redis'

/** Generous: the machine these run on may be loaded many times over. */
const SLOW = { timeout: 60_000 }

const key = { userId: 'u1', day: '2026-03-01', group: 'gpt-4' }
const ask = (limit: number | undefined, extra: Partial<QuotaAsk> = {}): QuotaAsk => ({
  key,
  limit,
  bonus: { userId: 'u1', model: 'gpt-4o' },
  ...extra,
})
const fifty = <T>(work: () => Promise<T>) => Promise.all(Array.from({ length: 50 }, work))

let redis: Redis
let pool: pg.Pool
const schema = testSchema()
const prefixes: string[] = []
const dirs: string[] = []
beforeAll(async () => {
  redis = await connectTestRedis('quota-stores')
  pool = await openPostgres(DATABASE_URL, { schema: schema.name })
})
afterAll(async () => {
  for (const prefix of prefixes) await deletePrefix(redis, prefix)
  await redis.quit()
  await pool.end()
  await schema.drop()
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})
const redisPrefix = () => {
  const prefix = testPrefix()
  prefixes.push(prefix)
  return prefix
}
const sqliteFile = () => {
  const dir = mkdtempSync(join(tmpdir(), 'kit-quota-'))
  dirs.push(dir)
  return join(dir, 'kit.db')
}

/** Each test gets empty counters. */
const quotaStores: [string, () => Promise<QuotaCounter>][] = [
  ['memory', async () => createMemoryQuotas()],
  ['SQLite', async () => createSqliteQuotas(openDatabase(':memory:'))],
  ['Redis', async () => createRedisQuotas({ redis, prefix: redisPrefix() })],
  [
    'PostgreSQL',
    async () => {
      await pool.query('TRUNCATE quota_counts, quota_bonus')
      return createPostgresQuotas(pool)
    },
  ],
]

describe.each(quotaStores)('%s quotas', SLOW, (_name, open) => {
  it('lets exactly the limit of 50 concurrent reservations through, then the bonus, then none', async () => {
    const quotas = await open()
    await quotas.grantBonus({ userId: 'u1', model: 'gpt-4o' }, 2)
    const sources = await fifty(() => quotas.reserve(ask(3)))
    expect(sources.filter((s) => s === 'daily')).toHaveLength(3)
    expect(sources.filter((s) => s === 'bonus')).toHaveLength(2)
    expect(sources.filter((s) => s === undefined)).toHaveLength(45)
    expect(await quotas.get(key)).toBe(3)
    expect(await quotas.bonus({ userId: 'u1', model: 'gpt-4o' })).toBe(0)
    // Another user, day, group or model is a counter of its own.
    expect(await quotas.reserve(ask(3, { key: { ...key, userId: 'u2' } }))).toBe('daily')
    expect(await quotas.reserve(ask(3, { key: { ...key, day: '2026-03-02' } }))).toBe('daily')
    expect(await quotas.reserve(ask(3, { key: { ...key, group: 'default' } }))).toBe('daily')
    expect(await quotas.bonus({ userId: 'u1', model: 'gpt-4' })).toBe(0)
  })

  it('counts unlimited answers and checks a shared counter in the same step', async () => {
    const quotas = await open()
    expect(await fifty(() => quotas.reserve(ask(undefined)))).toEqual(Array(50).fill('daily'))
    expect(await quotas.get(key)).toBe(50)
    const shared = { key: { ...key, userId: '203.0.113.7', group: 'anonymous-ip:gpt-4' }, limit: 2 }
    const users = await fifty(async () =>
      quotas.reserve(ask(3, { key: { ...key, userId: `anon-${Math.random()}` }, shared })),
    )
    expect(users.filter((s) => s === 'daily')).toHaveLength(2)
    expect(await quotas.get(shared.key)).toBe(2)
  })

  it('gives back what a refund names, never below zero', async () => {
    const quotas = await open()
    const shared = { key: { ...key, userId: 'ip', group: 'anonymous-ip:gpt-4' }, limit: 5 }
    expect(await quotas.reserve(ask(1, { shared }))).toBe('daily')
    await quotas.refund(ask(1, { shared }), 'daily')
    expect([await quotas.get(key), await quotas.get(shared.key)]).toEqual([0, 0])
    await quotas.refund(ask(1), 'daily')
    expect(await quotas.get(key)).toBe(0)
    await quotas.refund(ask(1), 'bonus')
    expect(await quotas.bonus({ userId: 'u1', model: 'gpt-4o' })).toBe(1)
    expect(await quotas.grantBonus({ userId: 'u1', model: 'gpt-4o' }, -5)).toBe(0)
    expect(await quotas.grantBonus({ userId: 'u1', model: 'gpt-4o' }, 4)).toBe(4)
  })
})

describe('SQLite quotas', SLOW, () => {
  it('survive a restart and hold across two processes on one file', async () => {
    const path = sqliteFile()
    const [a, b] = [openDatabase(path), openDatabase(path)]
    try {
      const [first, second] = [createSqliteQuotas(a), createSqliteQuotas(b)]
      await first.grantBonus({ userId: 'u1', model: 'gpt-4o' }, 1)
      const sources = await fifty(async () => (Math.random() < 0.5 ? first : second).reserve(ask(3)))
      expect(sources.filter((s) => s !== undefined)).toHaveLength(4)
      expect(await second.get(key)).toBe(3)
    } finally {
      a.close()
      b.close()
    }
    const reopened = openDatabase(path)
    expect(await createSqliteQuotas(reopened).get(key)).toBe(3)
    reopened.close()
  })
})

const limitStores: [string, () => LimitStore][] = [
  ['memory', () => createMemoryLimits()],
  ['Redis', () => createRedisLimits({ redis, prefix: redisPrefix() })],
]

describe.each(limitStores)('%s limits', SLOW, (_name, open) => {
  it('counts a window of requests and answers the time left past the limit', async () => {
    const limits = open()
    const results = await fifty(() => limits.hit('user:a', 10, 60_000))
    expect(results.filter((r) => r === undefined)).toHaveLength(10)
    const refused = results.filter((r) => r !== undefined)
    expect(refused).toHaveLength(40)
    for (const left of refused) expect(left).toBeGreaterThan(0)
    for (const left of refused) expect(left).toBeLessThanOrEqual(60_000)
    expect(await limits.hit('user:b', 10, 60_000)).toBeUndefined()
  })

  it('starts a new window once the old one ended', async () => {
    const limits = open()
    // Windows long enough that a loaded machine makes both hits fall in the first.
    expect(await limits.hit('k', 1, 2000)).toBeUndefined()
    expect(await limits.hit('k', 1, 2000)).toBeGreaterThan(0)
    await new Promise((resolve) => setTimeout(resolve, 2200))
    expect(await limits.hit('k', 1, 2000)).toBeUndefined()
  })

  it('holds at most the limit of concurrent slots, frees released and expired ones', async () => {
    const limits = open()
    const taken = await Promise.all(
      Array.from({ length: 50 }, (_, i) => limits.acquire('user:a', `s${i}`, 3, 60_000)),
    )
    expect(taken.filter(Boolean)).toHaveLength(3)
    const holder = taken.indexOf(true)
    await limits.release('user:a', `s${holder}`)
    expect(await limits.acquire('user:a', 'next', 3, 60_000)).toBe(true)
    expect(await limits.acquire('user:a', 'over', 3, 60_000)).toBe(false)
    expect(await limits.acquire('user:b', 'short', 1, 2000)).toBe(true)
    expect(await limits.acquire('user:b', 'waits', 1, 2000)).toBe(false)
    await new Promise((resolve) => setTimeout(resolve, 2200))
    expect(await limits.acquire('user:b', 'waits', 1, 2000)).toBe(true)
  })
})
