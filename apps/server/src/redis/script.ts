import { createHash } from 'node:crypto'
import type { Redis } from 'ioredis'

export type ScriptArg = string | number

export interface LuaScript {
  /** Runs the script atomically; its keys first, then its arguments. */
  run(redis: Redis, keys: readonly string[], args: readonly ScriptArg[]): Promise<unknown>
}

/**
 * A Lua script run by its SHA1, sent in full only when Redis does not know it yet (first use, or after a
 * restart flushed the script cache).
 */
export function luaScript(source: string): LuaScript {
  const sha = createHash('sha1').update(source).digest('hex')
  return {
    async run(redis, keys, args) {
      try {
        return await redis.evalsha(sha, keys.length, ...keys, ...args)
      } catch (err) {
        if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err
        return redis.eval(source, keys.length, ...keys, ...args)
      }
    },
  }
}
