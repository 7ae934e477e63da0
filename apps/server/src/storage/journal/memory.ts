import type { Journal, JournalEntry } from './types'

/** A journal in this process's memory: it rides out a store's outage, not a restart. */
export function createMemoryJournal(): Journal {
  // Insertion order is seq order, and a rewrite keeps an entry's place.
  const entries = new Map<number, JournalEntry>()
  const byKey = new Map<string, number>()
  let last = 0
  return {
    put(key, body, busy) {
      const waiting = byKey.get(key)
      const seq = waiting !== undefined && waiting !== busy ? waiting : ++last
      entries.set(seq, { seq, key, body })
      byKey.set(key, seq)
      return seq
    },
    first: () => entries.values().next().value,
    remove(seq) {
      const entry = entries.get(seq)
      if (!entry) return
      entries.delete(seq)
      if (byKey.get(entry.key) === seq) byKey.delete(entry.key)
    },
    size: () => entries.size,
    close() {
      entries.clear()
      byKey.clear()
    },
  }
}
