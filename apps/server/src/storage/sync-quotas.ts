import type { BonusKey, QuotaAsk, QuotaCounter, QuotaKey, QuotaSource } from './types'

/** The cells of a store that reads and writes synchronously (memory, SQLite). */
export interface QuotaCells {
  used(key: QuotaKey): number
  /** Adds `delta` to each counter, never going below 0. */
  add(keys: readonly QuotaKey[], delta: number): void
  bonus(key: BonusKey): number
  /** Adds `amount` to a balance, never going below 0; answers the new balance. */
  grant(key: BonusKey, amount: number): number
  /** A reservation on a newer day than any before: counters older than `yesterday` may go. */
  prune(yesterday: string): void
}

/** Runs `work` as one atomic step of the store (a transaction), answering its result. */
export type Atomically = <T>(work: () => T) => T

const dayBefore = (day: string) =>
  new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10)

/** The quota rules over synchronous cells: checking and taking happen in one `atomically` step. */
export function syncQuotaCounter(cells: QuotaCells, atomically: Atomically): QuotaCounter {
  let newestDay = ''
  const counted = (ask: QuotaAsk) => [ask.key, ...(ask.shared ? [ask.shared.key] : [])]
  const reserve = (ask: QuotaAsk): QuotaSource | undefined => {
    if (ask.key.day > newestDay) {
      newestDay = ask.key.day
      cells.prune(dayBefore(ask.key.day))
    }
    const fits =
      (ask.limit === undefined || cells.used(ask.key) < ask.limit) &&
      (!ask.shared || cells.used(ask.shared.key) < ask.shared.limit)
    if (fits) {
      cells.add(counted(ask), 1)
      return 'daily'
    }
    if (cells.bonus(ask.bonus) === 0) return undefined
    cells.grant(ask.bonus, -1)
    return 'bonus'
  }
  return {
    get: async (key) => cells.used(key),
    reserve: async (ask) => atomically(() => reserve(ask)),
    async refund(ask, source) {
      atomically(() => (source === 'bonus' ? cells.grant(ask.bonus, 1) : cells.add(counted(ask), -1)))
    },
    bonus: async (key) => cells.bonus(key),
    grantBonus: async (key, amount) => atomically(() => cells.grant(key, amount)),
  }
}
