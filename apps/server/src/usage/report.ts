import type { UsageReport, UsageRow } from '@kit/protocol'
import type { UsageAggregate } from '../storage/types'
import type { PriceTable } from './prices'
import type { DayRange } from './range'

const round = (usd: number) => Math.round(usd * 1e6) / 1e6

/** Totals and per-day rows with the estimated cost of each. */
export function buildUsageReport(
  rows: readonly UsageAggregate[],
  price: PriceTable,
  range: DayRange,
): Omit<UsageReport, 'organization'> {
  const days: UsageRow[] = rows.map((row) => ({ ...row, costUsd: round(price(row.model, row)) }))
  const sum = (pick: (row: UsageRow) => number) => days.reduce((total, row) => total + pick(row), 0)
  return {
    from: range.from ?? null,
    to: range.to ?? null,
    totals: {
      promptTokens: sum((r) => r.promptTokens),
      completionTokens: sum((r) => r.completionTokens),
      totalTokens: sum((r) => r.totalTokens),
      requests: sum((r) => r.requests),
      costUsd: round(sum((r) => r.costUsd)),
    },
    days,
  }
}
