import type pg from 'pg'
import type { UsageAggregate, UsageStore } from '../types'
import { USAGE_COLUMNS, usageValues } from '../usage-rows'

// Sums and counts come back as bigint text; token totals stay far below 2^53.
interface AggregateRow {
  day: string
  provider: string
  model: string
  prompt: string
  completion: string
  total: string
  requests: string
}

/** Token usage in PostgreSQL; the same behaviour as the SQLite store. */
export function createPostgresUsage(pool: pg.Pool): UsageStore {
  return {
    async record(r) {
      await pool.query(
        `INSERT INTO usage (${USAGE_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (message_id) DO NOTHING`,
        usageValues(r),
      )
    },
    async aggregate({ from, to, userId }): Promise<UsageAggregate[]> {
      const { rows } = await pool.query<AggregateRow>(
        `SELECT day::text AS day, provider, model, SUM(prompt_tokens) AS prompt,
                SUM(completion_tokens) AS completion, SUM(total_tokens) AS total, COUNT(*) AS requests
         FROM usage
         WHERE ($1::date IS NULL OR day >= $1) AND ($2::date IS NULL OR day <= $2)
           AND ($3::text IS NULL OR user_id = $3)
         GROUP BY day, provider, model
         ORDER BY day, provider COLLATE "C", model COLLATE "C"`,
        [from ?? null, to ?? null, userId ?? null],
      )
      return rows.map((row) => ({
        day: row.day,
        provider: row.provider,
        model: row.model,
        promptTokens: Number(row.prompt),
        completionTokens: Number(row.completion),
        totalTokens: Number(row.total),
        requests: Number(row.requests),
      }))
    },
  }
}
