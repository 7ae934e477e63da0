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
  readonly userId: string
  readonly conversationId: string
  readonly messages: readonly ChatMessage[]
  readonly touchedAt: number
}

/** Contexts in a Map kept in least-recently-used order, so eviction and sweeping start at the front. */
export function createMemorySessions(options: MemorySessionOptions = {}): SessionStore {
  const { idleMs, maxSessions = 10_000, clock = systemClock } = options
  const entries = new Map<string, Entry>()
  /** Each user's most recently set conversation; an entry leaves with the context it names. */
  const latest = new Map<string, string>()
  const keyOf = (userId: string, conversationId: string) => `${userId}\n${conversationId}`
  const expired = (entry: Entry) => idleMs !== undefined && clock.now() - entry.touchedAt > idleMs

  const forget = (key: string, entry: Entry) => {
    entries.delete(key)
    if (latest.get(entry.userId) === entry.conversationId) latest.delete(entry.userId)
  }
  const live = (userId: string, conversationId: string): Entry | undefined => {
    const key = keyOf(userId, conversationId)
    const entry = entries.get(key)
    if (!entry || !expired(entry)) return entry
    forget(key, entry)
    return undefined
  }
  const sweep = () => {
    for (const [key, entry] of entries) {
      if (!expired(entry) && entries.size <= maxSessions) break
      forget(key, entry)
    }
  }

  return {
    get: async (userId, conversationId) => {
      const entry = live(userId, conversationId)
      return entry && [...entry.messages]
    },
    set: async (userId, conversationId, messages) => {
      const key = keyOf(userId, conversationId)
      entries.delete(key)
      entries.set(key, { userId, conversationId, messages: [...messages], touchedAt: clock.now() })
      latest.set(userId, conversationId)
      sweep()
    },
    delete: async (userId, conversationId) => {
      const key = keyOf(userId, conversationId)
      const entry = entries.get(key)
      if (entry) forget(key, entry)
    },
    latest: async (userId) => {
      const conversationId = latest.get(userId)
      return conversationId !== undefined && live(userId, conversationId) ? conversationId : undefined
    },
  }
}
