import type Database from 'better-sqlite3'
import { syncQuotaCounter } from '../sync-quotas'
import type { QuotaCounter } from '../types'

/**
 * Quota counts and bonus balances in the kit's SQLite file, so that a restart forgets neither. Each
 * reservation is one IMMEDIATE transaction: atomic in this process and against any other on the file.
 */
export function createSqliteQuotas(db: Database.Database): QuotaCounter {
  const count = db.prepare<[string, string, string], { count: number }>(
    'SELECT count FROM quota_counts WHERE day = ? AND grp = ? AND user_id = ?',
  )
  const add = db.prepare<[{ day: string; group: string; userId: string; delta: number }]>(
    `INSERT INTO quota_counts (day, grp, user_id, count) VALUES (@day, @group, @userId, MAX(0, @delta))
     ON CONFLICT (day, grp, user_id) DO UPDATE SET count = MAX(0, count + @delta)`,
  )
  const prune = db.prepare<[string]>('DELETE FROM quota_counts WHERE day < ?')
  const balance = db.prepare<[string, string], { balance: number }>(
    'SELECT balance FROM quota_bonus WHERE user_id = ? AND model = ?',
  )
  const grant = db.prepare<[{ userId: string; model: string; amount: number }], { balance: number }>(
    `INSERT INTO quota_bonus (user_id, model, balance) VALUES (@userId, @model, MAX(0, @amount))
     ON CONFLICT (user_id, model) DO UPDATE SET balance = MAX(0, balance + @amount)
     RETURNING balance`,
  )
  return syncQuotaCounter(
    {
      used: ({ day, group, userId }) => count.get(day, group, userId)?.count ?? 0,
      add(keys, delta) {
        for (const { day, group, userId } of keys) add.run({ day, group, userId, delta })
      },
      bonus: ({ userId, model }) => balance.get(userId, model)?.balance ?? 0,
      grant: ({ userId, model }, amount) => grant.get({ userId, model, amount })?.balance ?? 0,
      prune: (yesterday) => prune.run(yesterday),
    },
    (work) => db.transaction(work).immediate(),
  )
}
