import type { Logger } from '../logging/logger'
import { openPostgres } from '../storage/postgres/database'
import { createPostgresHistory } from '../storage/postgres/history'
import { createPostgresQuotas } from '../storage/postgres/quotas'
import { createPostgresUsage } from '../storage/postgres/usage'
import { openDatabase } from '../storage/sqlite/database'
import { createSqliteHistory } from '../storage/sqlite/history'
import { createSqliteQuotas } from '../storage/sqlite/quotas'
import { createSqliteUsage } from '../storage/sqlite/usage'
import type { HistoryStore, QuotaCounter, UsageStore } from '../storage/types'
import type { DatabaseSettings } from './config'

export interface RecordStores {
  readonly history: HistoryStore
  readonly usage: UsageStore
  /** Quota counts and bonus balances, where they last when there is no Redis. */
  readonly quotas: QuotaCounter
  close(): Promise<void>
}

/** History, usage and quotas: in PostgreSQL when a database URL is set (migrated first), else in the SQLite file. */
export async function openRecordStores(
  database: DatabaseSettings,
  sqlitePath: string,
  logger: Logger,
): Promise<RecordStores> {
  if (database.url) {
    const pool = await openPostgres(database.url, { schema: database.schema, logger })
    return {
      history: createPostgresHistory(pool),
      usage: createPostgresUsage(pool),
      quotas: createPostgresQuotas(pool),
      close: () => pool.end(),
    }
  }
  const db = openDatabase(sqlitePath)
  return {
    history: createSqliteHistory(db),
    usage: createSqliteUsage(db),
    quotas: createSqliteQuotas(db),
    close: async () => void db.close(),
  }
}
