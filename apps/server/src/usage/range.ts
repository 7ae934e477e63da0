import { ErrorCode } from '@kit/protocol'
import { KitError } from '../errors'

export const MAX_RANGE_DAYS = 100
const DAY_MS = 86_400_000

export interface DayRange {
  readonly from?: string
  readonly to?: string
}

const invalid = (message: string) => new KitError(ErrorCode.ValidationFailed, message)

function dayParam(name: string, value: unknown): number | undefined {
  if (value === undefined) return undefined
  const ms =
    typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) ? Date.parse(`${value}T00:00:00Z`) : NaN
  // Date.parse accepts 2026-02-31 as March 3rd: a real day reads back the same.
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== value) {
    throw invalid(`${name} is a day, YYYY-MM-DD`)
  }
  return ms
}

const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10)

/**
 * `from` and `to` are inclusive UTC days. Neither means everything; `from` alone runs to `today`; `to`
 * alone covers the 100 days that end with it. Longer ranges and reversed ones are refused.
 */
export function parseDayRange(query: { from?: unknown; to?: unknown }, today: string): DayRange {
  const from = dayParam('from', query.from)
  const to = dayParam('to', query.to)
  if (from === undefined && to === undefined) return {}
  const end = to ?? Date.parse(`${today}T00:00:00Z`)
  const start = from ?? end - (MAX_RANGE_DAYS - 1) * DAY_MS
  if (start > end) throw invalid('from is after to')
  const days = (end - start) / DAY_MS + 1
  if (days > MAX_RANGE_DAYS)
    throw invalid(`the range covers ${days} days; at most ${MAX_RANGE_DAYS} are allowed`)
  return { from: dayOf(start), to: dayOf(end) }
}
