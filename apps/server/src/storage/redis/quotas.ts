import type { Redis } from 'ioredis'
import { luaScript } from '../../redis/script'
import type { QuotaCounter } from '../types'
import { quotaKey } from './keys'

// A day's counters are needed until that day is over everywhere; two days cover every time zone's lag.
const KEEP_SECONDS = 2 * 86_400

const incrementScript = luaScript(`
local count = redis.call('INCR', KEYS[1])
redis.call('EXPIRE', KEYS[1], ARGV[1])
return count
`)

/** INCR is atomic, so answers completing on several instances at once are each counted once. */
export function createRedisQuotas({ redis, prefix }: { redis: Redis; prefix: string }): QuotaCounter {
  return {
    async get({ userId, day, group }) {
      return Number((await redis.get(quotaKey(prefix, day, group, userId))) ?? 0)
    },
    async increment({ userId, day, group }) {
      return Number(await incrementScript.run(redis, [quotaKey(prefix, day, group, userId)], [KEEP_SECONDS]))
    },
  }
}
