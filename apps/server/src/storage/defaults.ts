import { createMemorySessions } from './memory/sessions'
import { createMemoryStreamState } from './memory/streams'
import { openDatabase } from './sqlite/database'
import { createSqliteHistory } from './sqlite/history'
import { createSqliteQuotas } from './sqlite/quotas'
import { createSqliteUsage } from './sqlite/usage'
import { systemClock, type ChatStores, type Clock } from './types'

export interface DefaultStoreOptions {
  /** SQLite file for history, usage, quota counts and bonus balances; `:memory:` keeps nothing. */
  readonly path: string
  /** Conversations idle this long are forgotten; unset = never. */
  readonly idleMs?: number
  readonly clock?: Clock
}

/** The embedded default: SQLite for history, usage and quotas, memory for sessions, stream state and limits. */
export function createDefaultStores({ path, idleMs, clock = systemClock }: DefaultStoreOptions): ChatStores {
  const db = openDatabase(path)
  const streams = createMemoryStreamState()
  return {
    history: createSqliteHistory(db),
    usage: createSqliteUsage(db),
    sessions: createMemorySessions({ ...(idleMs === undefined ? {} : { idleMs }), clock }),
    quotas: createSqliteQuotas(db),
    streams,
    close: async () => {
      streams.close()
      db.close()
    },
  }
}
