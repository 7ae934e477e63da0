import { afterAll, describe, expect, it } from 'vitest'
import { openPostgres } from '../../src/storage/postgres/database'
import { MIGRATIONS } from '../../src/storage/postgres/migrations'
import { DATABASE_URL, testSchema } from './support/postgres'

const schema = testSchema()
afterAll(() => schema.drop())

describe('PostgreSQL migrations at start-up', () => {
  it('migrate a new schema once, even when several instances start together, and then nothing', async () => {
    const pools = await Promise.all([1, 2, 3].map(() => openPostgres(DATABASE_URL, { schema: schema.name })))
    try {
      const [pool] = pools
      const versions = await pool!.query<{ version: number }>(
        'SELECT version FROM kit_migrations ORDER BY version',
      )
      expect(versions.rows.map((r) => r.version)).toEqual(MIGRATIONS.map((_, i) => i + 1))
      const tables = await pool!.query<{ table_name: string }>(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name`,
        [schema.name],
      )
      expect(tables.rows.map((r) => r.table_name)).toEqual([
        'conversations',
        'kit_migrations',
        'messages',
        'quota_bonus',
        'quota_counts',
        'usage',
      ])
    } finally {
      await Promise.all(pools.map((p) => p.end()))
    }
    const again = await openPostgres(DATABASE_URL, { schema: schema.name })
    const count = await again.query<{ n: string }>('SELECT count(*) AS n FROM kit_migrations')
    await again.end()
    expect(Number(count.rows[0]?.n)).toBe(MIGRATIONS.length)
  })
})
