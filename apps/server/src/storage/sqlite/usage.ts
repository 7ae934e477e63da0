import type Database from 'better-sqlite3'
import type { UsageAggregate, UsageStore } from '../types'

export function createSqliteUsage(db: Database.Database): UsageStore {
  const insert = db.prepare(
    `INSERT INTO usage (user_id, provider, model, day, prompt_tokens, completion_tokens, total_tokens, at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
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
      insert.run(
        r.userId,
        r.provider,
        r.model,
        r.day,
        r.promptTokens,
        r.completionTokens,
        r.totalTokens,
        r.at,
      )
    },
    aggregate: async ({ from, to, userId }) =>
      aggregate.all(from ?? '0000-00-00', to ?? '9999-99-99', userId ?? null, userId ?? null),
  }
}
