import type Database from 'better-sqlite3'
import type { UsageAggregate, UsageStore } from '../types'
import { USAGE_COLUMNS, usageValues } from '../usage-rows'

export function createSqliteUsage(db: Database.Database): UsageStore {
  const insert = db.prepare(
    `INSERT INTO usage (${USAGE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (message_id) DO NOTHING`,
  )
  // Unset bounds become the widest ones, and an unset user matches everyone, so one statement serves all.
  const aggregate = db.prepare<[string, string, string | null, string | null], UsageAggregate>(
    `SELECT day, provider, model,
            SUM(prompt_tokens) AS promptTokens, SUM(completion_tokens) AS completionTokens,
            SUM(total_tokens) AS totalTokens, COUNT(*) AS requests
     FROM usage
     WHERE day >= ? AND day <= ? AND (? IS NULL OR user_id = ?)
     GROUP BY day, provider, model
     ORDER BY day, provider, model`,
  )
  return {
    record: async (r) => {
      insert.run(...usageValues(r))
    },
    aggregate: async ({ from, to, userId }) =>
      aggregate.all(from ?? '0000-00-00', to ?? '9999-99-99', userId ?? null, userId ?? null),
  }
}
