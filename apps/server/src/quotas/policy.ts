import type { ChatConfig } from '../config/chat'
import { bestMatch } from '../providers/model-pattern'

export const DEFAULT_QUOTA_GROUP = 'default'

export interface QuotaLimit {
  readonly group: string
  /** Answers per user and day; undefined = unlimited. */
  readonly daily: number | undefined
}

/** Which model group a model counts against, and that group's daily limit. */
export function createQuotaPolicy(config: ChatConfig['quotas']): (model: string) => QuotaLimit {
  const entries = config.groups.flatMap((group) =>
    group.models.map((pattern) => [pattern, { group: group.name, daily: group.daily }] as const),
  )
  const fallback: QuotaLimit = { group: DEFAULT_QUOTA_GROUP, daily: config.defaultDaily }
  return (model) => bestMatch(entries, model) ?? fallback
}

/** UTC day of an instant, `YYYY-MM-DD`: usage rolls over at midnight UTC (quota days: `day.ts`). */
export const utcDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10)
