import { luaScript } from '../../redis/script'

/*
 * Each script works on one channel: KEYS[1] its state hash, KEYS[2] its log stream. The state hash holds
 * `l` (last id), `b` (bytes in the log), `e` ('1' once ended), `d` (deadline in epoch ms, '' for none) and
 * `f` ('1' once an opener fixed the deadline). Ids are contiguous and the log only loses its oldest
 * entries, so the first buffered id is always `l - XLEN + 1`.
 *
 * A state travels back as {last, length, ended (0|1), deadline ('' for none)}.
 */
const PRELUDE = `
local meta, log = KEYS[1], KEYS[2]
local function state()
  local m = redis.call('HMGET', meta, 'l', 'e', 'd')
  if not m[1] then return nil end
  return {tonumber(m[1]), redis.call('XLEN', log), m[2] == '1' and 1 or 0, m[3] or ''}
end
local function ensure()
  if redis.call('EXISTS', meta) == 0 then
    redis.call('DEL', log)
    redis.call('HSET', meta, 'l', 0, 'b', 0, 'e', 0, 'f', 0, 'd', '')
  end
end
local function expire(ms)
  redis.call('PEXPIRE', meta, ms)
  redis.call('PEXPIRE', log, ms)
end
`

/** ARGV: deadline ('' for none), idle ttl ms. The first opener fixes the deadline. Returns the state. */
export const openScript = luaScript(`${PRELUDE}
ensure()
if redis.call('HGET', meta, 'f') ~= '1' then redis.call('HSET', meta, 'f', 1, 'd', ARGV[1]) end
local s = state()
if s[3] == 0 then expire(ARGV[2]) end
return s
`)

/**
 * ARGV: event, data, terminal ('1'|'0'), max events, max bytes, idle ttl ms, grace ms, pub/sub channel.
 * Appends unless the channel ended, trims the oldest entries past either bound (the newest always stays)
 * and publishes `<id>\n<event>\n<data>` in the same atomic step, so pub/sub order is id order.
 * Returns {0} when the channel had ended, else {1, id, instances the event reached}.
 */
export const publishScript = luaScript(`${PRELUDE}
ensure()
if redis.call('HGET', meta, 'e') == '1' then return {0} end
local id = redis.call('HINCRBY', meta, 'l', 1)
redis.call('XADD', log, id .. '-0', 'e', ARGV[1], 'd', ARGV[2])
local bytes = redis.call('HINCRBY', meta, 'b', #ARGV[1] + #ARGV[2])
local length = redis.call('XLEN', log)
local maxEvents, maxBytes = tonumber(ARGV[4]), tonumber(ARGV[5])
while length > 1 and (length > maxEvents or bytes > maxBytes) do
  local oldest = redis.call('XRANGE', log, '-', '+', 'COUNT', 1)[1]
  redis.call('XDEL', log, oldest[1])
  bytes = bytes - #oldest[2][2] - #oldest[2][4]
  length = length - 1
end
redis.call('HSET', meta, 'b', bytes)
if ARGV[3] == '1' then
  redis.call('HSET', meta, 'e', 1)
  expire(ARGV[7])
else
  expire(ARGV[6])
end
return {1, id, redis.call('PUBLISH', ARGV[8], id .. '\\n' .. ARGV[1] .. '\\n' .. ARGV[2])}
`)

/**
 * ARGV: the id to read after ('' for the whole log). Returns {} for an unknown channel, else
 * {'events'|'gap', ...state, then id, event, data of each event after it}.
 */
export const readScript = luaScript(`${PRELUDE}
local s = state()
if not s then return {} end
local last, length = s[1], s[2]
local from = '-'
if ARGV[1] ~= '' then
  local after = tonumber(ARGV[1])
  if after > last or after < last - length then return {'gap', s[1], s[2], s[3], s[4]} end
  from = (after + 1) .. '-0'
end
local out = {'events', s[1], s[2], s[3], s[4]}
for _, entry in ipairs(redis.call('XRANGE', log, from, '+')) do
  table.insert(out, entry[1])
  table.insert(out, entry[2][2])
  table.insert(out, entry[2][4])
end
return out
`)

/** Returns the state, or {} for an unknown channel. */
export const stateScript = luaScript(`${PRELUDE}
return state() or {}
`)

/**
 * ARGV: idle ttl ms. Run for every channel an instance listens to: a live channel outlives its idle ttl
 * only as long as some instance keeps renewing it. Returns {} for an unknown channel, else {length, bytes}.
 */
export const renewScript = luaScript(`${PRELUDE}
local m = redis.call('HMGET', meta, 'e', 'b')
if not m[2] then return {} end
if m[1] ~= '1' then expire(ARGV[1]) end
return {redis.call('XLEN', log), tonumber(m[2])}
`)
