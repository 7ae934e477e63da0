import { syncQuotaCounter } from '../sync-quotas'
import type { BonusKey, QuotaCounter, QuotaKey } from '../types'

/** Counters of the current days only. Nothing awaits between a check and its change: that is atomic here. */
export function createMemoryQuotas(): QuotaCounter {
  const counts = new Map<string, number>()
  const balances = new Map<string, number>()
  const keyOf = ({ day, group, userId }: QuotaKey) => `${day}\n${group}\n${userId}`
  const bonusOf = ({ userId, model }: BonusKey) => `${model}\n${userId}`
  const used = (key: QuotaKey) => counts.get(keyOf(key)) ?? 0
  const bonus = (key: BonusKey) => balances.get(bonusOf(key)) ?? 0
  return syncQuotaCounter(
    {
      used,
      bonus,
      add(keys, delta) {
        for (const key of keys) counts.set(keyOf(key), Math.max(0, used(key) + delta))
      },
      grant(key, amount) {
        const balance = Math.max(0, bonus(key) + amount)
        if (balance === 0) balances.delete(bonusOf(key))
        else balances.set(bonusOf(key), balance)
        return balance
      },
      prune(yesterday) {
        for (const key of counts.keys()) if (key.slice(0, 10) < yesterday) counts.delete(key)
      },
    },
    (work) => work(),
  )
}
