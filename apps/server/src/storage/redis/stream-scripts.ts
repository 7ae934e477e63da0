import { luaScript } from '../../redis/script'

/*
 * KEYS[1] is an answer's record (hash: userId, instanceId, conversationId, messageId, ended '0'|'1',
 * watchers), KEYS[2] the lease its generator renews while it runs. A record whose generator stopped
 * renewing before it ended has lost its generator.
 */

/** ARGV: userId, instanceId, conversationId, messageId, lease ms, record ttl ms. */
export const beginScript = luaScript(`
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'userId', ARGV[1], 'instanceId', ARGV[2], 'conversationId', ARGV[3],
  'messageId', ARGV[4], 'ended', '0', 'watchers', 0)
redis.call('PEXPIRE', KEYS[1], ARGV[6])
redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[5])
`)

/** ARGV: lease ms, record ttl ms. Returns 0 once the answer has ended (or was declared lost). */
export const renewScript = luaScript(`
if redis.call('HGET', KEYS[1], 'ended') ~= '0' then return 0 end
redis.call('SET', KEYS[2], redis.call('HGET', KEYS[1], 'instanceId'), 'PX', ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
`)

/**
 * KEYS[3] is the answer's channel state (the bus's hash). ARGV: retain ms. An answer whose channel got its
 * terminal event is ended; one that stopped without it (its events could not be published) only loses its
 * lease, so that a watching instance ends its channel as `generator_lost` instead of leaving it open.
 */
export const endScript = luaScript(`
redis.call('DEL', KEYS[2])
if redis.call('EXISTS', KEYS[1]) == 0 or redis.call('HGET', KEYS[3], 'e') ~= '1' then return 0 end
redis.call('HSET', KEYS[1], 'ended', '1')
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return 1
`)

/**
 * ARGV: retain ms. Ends an answer whose lease ran out before it ended, once for the whole cluster: the
 * single caller that did it gets the record's fields (HGETALL's reply), every other one {}.
 */
export const claimLostScript = luaScript(`
if redis.call('HGET', KEYS[1], 'ended') ~= '0' or redis.call('EXISTS', KEYS[2]) == 1 then return {} end
redis.call('HSET', KEYS[1], 'ended', '1', 'lost', '1')
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return redis.call('HGETALL', KEYS[1])
`)

/** KEYS[1] only; ARGV: control channel. Counts a watcher and tells the generator. */
export const watchScript = luaScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HINCRBY', KEYS[1], 'watchers', 1)
redis.call('PUBLISH', ARGV[1], 'watched')
return 1
`)

/** KEYS[1] only; ARGV: control channel. The last watcher to leave tells the generator. */
export const unwatchScript = luaScript(`
if tonumber(redis.call('HGET', KEYS[1], 'watchers') or '0') <= 0 then return 0 end
if redis.call('HINCRBY', KEYS[1], 'watchers', -1) == 0 then redis.call('PUBLISH', ARGV[1], 'unwatched') end
return 1
`)
