import type { QuotaCounter, QuotaKey } from '../types'

/** Counters of the current days only: a new day drops those older than the day before it. */
export function createMemoryQuotas(): QuotaCounter {
  const counts = new Map<string, number>()
  let newestDay = ''
  const keyOf = ({ day, group, userId }: QuotaKey) => `${day}\n${group}\n${userId}`

  const prune = (day: string) => {
    if (day <= newestDay) return
    newestDay = day
    const yesterday = new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10)
    for (const key of counts.keys()) if (key.slice(0, 10) < yesterday) counts.delete(key)
  }

  return {
    get: async (key) => counts.get(keyOf(key)) ?? 0,
    increment: async (key) => {
      prune(key.day)
      const count = (counts.get(keyOf(key)) ?? 0) + 1
      counts.set(keyOf(key), count)
      return count
    },
  }
}
