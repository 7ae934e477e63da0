import { randomUUID } from 'node:crypto'
import type { Redis } from 'ioredis'
import { connectRedis } from '../../../src/redis/connection'

/** The machine's Redis; every test works under a prefix of its own and deletes it afterwards. */
export const REDIS_URL = 'redis://127.0.0.1:6379'

export const testPrefix = (): string => `kit-test:${randomUUID().slice(0, 8)}:`

export const connectTestRedis = (name = 'test', url = REDIS_URL): Promise<Redis> =>
  connectRedis(url, { name })

export async function keysUnder(redis: Redis, prefix: string): Promise<string[]> {
  const found: string[] = []
  let cursor = '0'
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000)
    cursor = next
    found.push(...keys)
  } while (cursor !== '0')
  return found
}

export async function deletePrefix(redis: Redis, prefix: string): Promise<void> {
  const keys = await keysUnder(redis, prefix)
  for (let at = 0; at < keys.length; at += 1000) await redis.del(...keys.slice(at, at + 1000))
}

/** Cuts the pub/sub connection of `connectRedisClients({ name })` as a network failure would; it reconnects. */
export async function cutPubSub(admin: Redis, name: string): Promise<void> {
  const list = await admin.client('LIST')
  const line = String(list)
    .split('\n')
    .find((l) => l.includes(` name=${name}:pubsub `))
  const id = line?.match(/^id=(\d+) /)?.[1]
  if (!id) throw new Error(`no pub/sub connection named ${name}`)
  await admin.client('KILL', 'ID', id)
}
