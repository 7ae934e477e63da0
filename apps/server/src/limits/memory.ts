import type { LimitStore } from '../storage/types'

/** This process's counters: right for one instance, each instance counting alone otherwise. */
export function createMemoryLimits(now: () => number = Date.now): LimitStore {
  const windows = new Map<string, { count: number; endsAt: number }>()
  const slots = new Map<string, Map<string, number>>()
  let sweepAt = 0

  // Expired entries go once a while, so that keys of passing users and addresses do not pile up.
  const sweep = (time: number) => {
    if (time < sweepAt) return
    sweepAt = time + 60_000
    for (const [key, window] of windows) if (window.endsAt <= time) windows.delete(key)
    for (const [key, held] of slots) {
      for (const [slot, expiresAt] of held) if (expiresAt <= time) held.delete(slot)
      if (held.size === 0) slots.delete(key)
    }
  }

  return {
    async hit(key, limit, windowMs) {
      const time = now()
      sweep(time)
      let window = windows.get(key)
      if (!window || window.endsAt <= time) {
        window = { count: 0, endsAt: time + windowMs }
        windows.set(key, window)
      }
      window.count++
      return window.count > limit ? window.endsAt - time : undefined
    },
    async acquire(key, slot, limit, leaseMs) {
      const time = now()
      sweep(time)
      const held = slots.get(key) ?? new Map<string, number>()
      for (const [other, expiresAt] of held) if (expiresAt <= time) held.delete(other)
      if (held.size >= limit) return false
      held.set(slot, time + leaseMs)
      slots.set(key, held)
      return true
    },
    async release(key, slot) {
      const held = slots.get(key)
      held?.delete(slot)
      if (held?.size === 0) slots.delete(key)
    },
  }
}
