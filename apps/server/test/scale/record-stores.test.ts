import { createPostgresHistory } from '../../src/storage/postgres/history'
import { openPostgres } from '../../src/storage/postgres/database'
import { createPostgresUsage } from '../../src/storage/postgres/usage'
import { openDatabase } from '../../src/storage/sqlite/database'
import { createSqliteHistory } from '../../src/storage/sqlite/history'
import { createSqliteUsage } from '../../src/storage/sqlite/usage'
import { recordStoresContract } from './record-stores-contract'
import { DATABASE_URL, testSchema } from './support/postgres'

recordStoresContract('SQLite', async () => {
  const db = openDatabase(':memory:')
  return {
    history: createSqliteHistory(db),
    usage: createSqliteUsage(db),
    close: async () => void db.close(),
  }
})

recordStoresContract('PostgreSQL', async () => {
  const schema = testSchema()
  const pool = await openPostgres(DATABASE_URL, { schema: schema.name })
  return {
    history: createPostgresHistory(pool),
    usage: createPostgresUsage(pool),
    async close() {
      await pool.end()
      await schema.drop()
    },
  }
})
