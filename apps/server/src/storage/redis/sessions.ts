import type { Redis } from 'ioredis'
import type { ChatMessage } from '../../providers/types'
import type { SessionStore } from '../types'
import { sessionKey } from './keys'

export interface RedisSessionOptions {
  readonly redis: Redis
  readonly prefix: string
  /** Forget a conversation idle this long; unset = never. */
  readonly idleMs?: number
}

/** Each conversation's context is one JSON value whose Redis ttl is the idle time, restarted on every set. */
export function createRedisSessions({ redis, prefix, idleMs }: RedisSessionOptions): SessionStore {
  const ttl = idleMs === undefined ? null : Math.max(1, Math.ceil(idleMs))
  return {
    async get(userId, conversationId) {
      const text = await redis.get(sessionKey(prefix, userId, conversationId))
      return text === null ? undefined : (JSON.parse(text) as ChatMessage[])
    },
    async set(userId, conversationId, messages) {
      const key = sessionKey(prefix, userId, conversationId)
      const text = JSON.stringify(messages)
      await (ttl === null ? redis.set(key, text) : redis.set(key, text, 'PX', ttl))
    },
    async delete(userId, conversationId) {
      await redis.del(sessionKey(prefix, userId, conversationId))
    },
  }
}
