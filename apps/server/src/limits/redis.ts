import type { Redis } from 'ioredis'
import { luaScript } from '../redis/script'
import type { LimitStore } from '../storage/types'

// A fixed window: the first hit starts it with its expiry; past the limit, the window's time left.
const hitScript = luaScript(`
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
if count > tonumber(ARGV[1]) then return math.max(redis.call('PTTL', KEYS[1]), 1) end
return -1
`)

// Slots are members scored by their expiry, on Redis's own clock so that instances' clocks do not matter.
const acquireScript = luaScript(`
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1
`)

/** Limits every instance on one Redis shares: each check-and-count is one script. */
export function createRedisLimits({ redis, prefix }: { redis: Redis; prefix: string }): LimitStore {
  const rateKey = (key: string) => `${prefix}limit:rate:${key}`
  const slotKey = (key: string) => `${prefix}limit:slots:${key}`
  return {
    async hit(key, limit, windowMs) {
      const left = Number(await hitScript.run(redis, [rateKey(key)], [limit, windowMs]))
      return left < 0 ? undefined : left
    },
    async acquire(key, slot, limit, leaseMs) {
      return Number(await acquireScript.run(redis, [slotKey(key)], [slot, limit, leaseMs])) === 1
    },
    async release(key, slot) {
      await redis.zrem(slotKey(key), slot)
    },
  }
}
