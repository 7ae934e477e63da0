import pg from 'pg'
import { ConfigError } from '../../config/load'
import type { Logger } from '../../logging/logger'
import { redactUrl } from '../../redis/redact-url'
import { migrate } from './migrations'

/** PostgreSQL could not be reached or migrated at start-up; like any `ConfigError`, it stops the start. */
export class DatabaseUnavailableError extends ConfigError {}

export interface PostgresOptions {
  /** Schema holding the kit's tables, created when missing; unset = the connection's search path. */
  readonly schema?: string
  /** Most connections per instance (default 10). */
  readonly maxConnections?: number
  readonly logger?: Logger
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/

/** Connects, checks that PostgreSQL answers and runs the migrations, or fails with a message naming the URL. */
export async function openPostgres(url: string, options: PostgresOptions = {}): Promise<pg.Pool> {
  const { schema, logger } = options
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
    throw new DatabaseUnavailableError(`invalid schema name ${JSON.stringify(schema)}`)
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: options.maxConnections ?? 10,
    connectionTimeoutMillis: 5000,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  })
  // An idle connection that breaks must not crash the process; the pool replaces it.
  pool.on('error', (err) => logger?.warn({ err: err.message }, 'a PostgreSQL connection failed'))
  try {
    const client = await pool.connect()
    try {
      const applied = await migrate(client, schema)
      if (applied > 0) logger?.info({ applied }, 'migrated the PostgreSQL schema')
    } finally {
      client.release()
    }
  } catch (err) {
    await pool.end().catch(() => undefined)
    throw new DatabaseUnavailableError(
      `PostgreSQL at ${redactUrl(url)} is unusable (${(err as Error).message}): fix DATABASE_URL`,
      { cause: err },
    )
  }
  return pool
}
