import type { ChatMessage } from '../../providers/types'
import { systemClock, type Clock, type SessionStore } from '../types'

export interface MemorySessionOptions {
  /** Forget a conversation idle this long; unset = never. */
  readonly idleMs?: number
  /** Most conversations kept; the least recently used goes first (default 10,000). */
  readonly maxSessions?: number
  readonly clock?: Clock
}

interface Entry {
  readonly messages: readonly ChatMessage[]
  readonly touchedAt: number
}

/** Contexts in a Map kept in least-recently-used order, so eviction and sweeping start at the front. */
export function createMemorySessions(options: MemorySessionOptions = {}): SessionStore {
  const { idleMs, maxSessions = 10_000, clock = systemClock } = options
  const entries = new Map<string, Entry>()
  const keyOf = (userId: string, conversationId: string) => `${userId}\n${conversationId}`
  const expired = (entry: Entry) => idleMs !== undefined && clock.now() - entry.touchedAt > idleMs

  const sweep = () => {
    for (const [key, entry] of entries) {
      if (!expired(entry) && entries.size <= maxSessions) break
      entries.delete(key)
    }
  }

  return {
    get: async (userId, conversationId) => {
      const key = keyOf(userId, conversationId)
      const entry = entries.get(key)
      if (!entry) return undefined
      if (!expired(entry)) return [...entry.messages]
      entries.delete(key)
      return undefined
    },
    set: async (userId, conversationId, messages) => {
      const key = keyOf(userId, conversationId)
      entries.delete(key)
      entries.set(key, { messages: [...messages], touchedAt: clock.now() })
      sweep()
    },
    delete: async (userId, conversationId) => {
      entries.delete(keyOf(userId, conversationId))
    },
  }
}
