/** Quota days: a day starts at midnight in the configured IANA time zone. */

export interface QuotaDay {
  /** The day `ms` falls on there, `YYYY-MM-DD`. */
  dayOf(ms: number): string
  /** The instant (ms since the epoch) the day of `ms` ends and the next one's quota begins. */
  resetAfter(ms: number): number
}

const DAY_MS = 86_400_000

export function createQuotaDay(timeZone: string): QuotaDay {
  // en-CA formats dates as YYYY-MM-DD; the parts give the offset without a time-zone library.
  const format = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  })
  /** Wall-clock time there minus UTC, in ms. */
  const offsetAt = (ms: number): number => {
    const parts = Object.fromEntries(format.formatToParts(ms).map((p) => [p.type, Number(p.value)]))
    const wall = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour, parts.minute, parts.second)
    return wall - (ms - (ms % 1000))
  }
  const dayOf = (ms: number): string => new Date(ms + offsetAt(ms)).toISOString().slice(0, 10)
  return {
    dayOf,
    resetAfter(ms) {
      const next = Date.parse(`${dayOf(ms)}T00:00:00Z`) + DAY_MS
      // Local midnight of the next day; a second pass settles a day whose offset changed (summer time).
      let instant = next - offsetAt(next)
      instant = next - offsetAt(instant)
      return instant
    },
  }
}
