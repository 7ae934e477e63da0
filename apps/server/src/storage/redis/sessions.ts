import type { Redis } from 'ioredis'
import type { ChatMessage } from '../../providers/types'
import type { SessionStore } from '../types'
import { latestSessionKey, sessionKey } from './keys'

export interface RedisSessionOptions {
  readonly redis: Redis
  readonly prefix: string
  /** Forget a conversation idle this long; unset = never. */
  readonly idleMs?: number
}

/**
 * Each conversation's context is one JSON value whose Redis ttl is the idle time, restarted on every set;
 * beside it, each user's latest conversation id lives as long.
 */
export function createRedisSessions({ redis, prefix, idleMs }: RedisSessionOptions): SessionStore {
  const ttl = idleMs === undefined ? null : Math.max(1, Math.ceil(idleMs))
  const put = (transaction: ReturnType<Redis['multi']>, key: string, value: string) =>
    ttl === null ? transaction.set(key, value) : transaction.set(key, value, 'PX', ttl)
  return {
    async get(userId, conversationId) {
      const text = await redis.get(sessionKey(prefix, userId, conversationId))
      return text === null ? undefined : (JSON.parse(text) as ChatMessage[])
    },
    async set(userId, conversationId, messages) {
      const transaction = redis.multi()
      put(transaction, sessionKey(prefix, userId, conversationId), JSON.stringify(messages))
      put(transaction, latestSessionKey(prefix, userId), conversationId)
      await transaction.exec()
    },
    async delete(userId, conversationId) {
      await redis.del(sessionKey(prefix, userId, conversationId))
    },
    async latest(userId) {
      const conversationId = await redis.get(latestSessionKey(prefix, userId))
      if (conversationId === null) return undefined
      // The pointer can outlive a deleted context: only a context still held is worth continuing.
      const held = await redis.exists(sessionKey(prefix, userId, conversationId))
      return held === 1 ? conversationId : undefined
    },
  }
}
