import type { UsageRecord } from './types'

/** Columns of a usage insert, the same in both SQL stores; `usageValues` gives them in this order. */
export const USAGE_COLUMNS =
  'user_id, provider, model, day, prompt_tokens, completion_tokens, total_tokens, at, message_id'

export const usageValues = (r: UsageRecord): unknown[] => [
  r.userId,
  r.provider,
  r.model,
  r.day,
  r.promptTokens,
  r.completionTokens,
  r.totalTokens,
  r.at,
  r.messageId ?? null,
]
