import { randomUUID } from 'node:crypto'
import pg from 'pg'

/** The machine's PostgreSQL: database `test`, trust authentication on loopback. */
export const DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test'

export interface TestSchema {
  readonly name: string
  /** Drops the schema and everything in it. */
  drop(): Promise<void>
}

/** A schema of this run's own; the stores create it and their tables on first use. */
export function testSchema(): TestSchema {
  const name = `kit_test_${randomUUID().replaceAll('-', '').slice(0, 12)}`
  return {
    name,
    async drop() {
      const client = new pg.Client({ connectionString: DATABASE_URL })
      await client.connect()
      try {
        await client.query(`DROP SCHEMA IF EXISTS ${name} CASCADE`)
      } finally {
        await client.end()
      }
    },
  }
}
