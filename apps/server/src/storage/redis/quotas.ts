import type { Redis } from 'ioredis'
import { luaScript } from '../../redis/script'
import type { QuotaAsk, QuotaCounter } from '../types'
import { bonusKey, quotaKey } from './keys'

// A day's counters are needed until that day is over everywhere; two days cover every time zone's lag.
const KEEP_SECONDS = 2 * 86_400
const UNLIMITED = -1

// KEYS: the user's counter, the shared counter (the user's again when there is none), the bonus balance.
// ARGV: the user's limit, the shared limit (-1: unlimited / none), seconds to keep a counter.
const reserveScript = luaScript(`
local limit, sharedLimit = tonumber(ARGV[1]), tonumber(ARGV[2])
local used = tonumber(redis.call('GET', KEYS[1]) or '0')
local sharedUsed = tonumber(redis.call('GET', KEYS[2]) or '0')
if (limit < 0 or used < limit) and (sharedLimit < 0 or sharedUsed < sharedLimit) then
  redis.call('INCR', KEYS[1])
  redis.call('EXPIRE', KEYS[1], ARGV[3])
  if sharedLimit >= 0 then
    redis.call('INCR', KEYS[2])
    redis.call('EXPIRE', KEYS[2], ARGV[3])
  end
  return 'daily'
end
if tonumber(redis.call('GET', KEYS[3]) or '0') > 0 then
  redis.call('DECR', KEYS[3])
  return 'bonus'
end
return false
`)

// Adds ARGV[1] to each key, never going below 0 (a counter that expired meanwhile stays gone).
const addScript = luaScript(`
local result = 0
for _, key in ipairs(KEYS) do
  local value = tonumber(redis.call('GET', key) or '0') + tonumber(ARGV[1])
  if value > 0 then
    redis.call('SET', key, value, 'KEEPTTL')
  else
    redis.call('DEL', key)
    value = 0
  end
  result = value
end
return result
`)

/** Each reservation is one Lua script: answers requested on several instances at once are each checked. */
export function createRedisQuotas({ redis, prefix }: { redis: Redis; prefix: string }): QuotaCounter {
  const keysOf = (ask: QuotaAsk) => {
    const own = quotaKey(prefix, ask.key.day, ask.key.group, ask.key.userId)
    const shared = ask.shared
      ? quotaKey(prefix, ask.shared.key.day, ask.shared.key.group, ask.shared.key.userId)
      : undefined
    return { own, shared, bonus: bonusKey(prefix, ask.bonus.userId, ask.bonus.model) }
  }
  return {
    async get({ userId, day, group }) {
      return Number((await redis.get(quotaKey(prefix, day, group, userId))) ?? 0)
    },
    async reserve(ask) {
      const { own, shared, bonus } = keysOf(ask)
      const source = await reserveScript.run(
        redis,
        [own, shared ?? own, bonus],
        [ask.limit ?? UNLIMITED, ask.shared?.limit ?? UNLIMITED, KEEP_SECONDS],
      )
      return source === 'daily' || source === 'bonus' ? source : undefined
    },
    async refund(ask, source) {
      const { own, shared, bonus } = keysOf(ask)
      const keys = source === 'bonus' ? [bonus] : shared ? [own, shared] : [own]
      await addScript.run(redis, keys, [source === 'bonus' ? 1 : -1])
    },
    async bonus({ userId, model }) {
      return Number((await redis.get(bonusKey(prefix, userId, model))) ?? 0)
    },
    async grantBonus({ userId, model }, amount) {
      return Number(await addScript.run(redis, [bonusKey(prefix, userId, model)], [amount]))
    },
  }
}
