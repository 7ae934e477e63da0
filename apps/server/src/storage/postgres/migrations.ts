import type { PoolClient } from 'pg'

/**
 * Each entry moves the schema one version up; `kit_migrations` records how far a database has come.
 * Text columns compare with the "C" collation in queries, so that PostgreSQL orders exactly as SQLite does.
 */
export const MIGRATIONS: readonly string[] = [
  `CREATE TABLE conversations (
     user_id TEXT NOT NULL,
     id TEXT NOT NULL,
     title TEXT NOT NULL,
     created_at TIMESTAMPTZ NOT NULL,
     updated_at TIMESTAMPTZ NOT NULL,
     PRIMARY KEY (user_id, id)
   );
   CREATE INDEX conversations_recent ON conversations (user_id, updated_at DESC);
   CREATE TABLE messages (
     seq BIGSERIAL PRIMARY KEY,
     id TEXT NOT NULL,
     user_id TEXT NOT NULL,
     conversation_id TEXT NOT NULL,
     role TEXT NOT NULL,
     content TEXT NOT NULL,
     provider TEXT,
     model TEXT,
     created_at TIMESTAMPTZ NOT NULL,
     FOREIGN KEY (user_id, conversation_id) REFERENCES conversations (user_id, id) ON DELETE CASCADE
   );
   CREATE INDEX messages_by_conversation ON messages (user_id, conversation_id, seq);
   CREATE TABLE usage (
     id BIGSERIAL PRIMARY KEY,
     user_id TEXT NOT NULL,
     provider TEXT NOT NULL,
     model TEXT NOT NULL,
     day DATE NOT NULL,
     prompt_tokens INTEGER NOT NULL,
     completion_tokens INTEGER NOT NULL,
     total_tokens INTEGER NOT NULL,
     at TIMESTAMPTZ NOT NULL
   );
   CREATE INDEX usage_by_day ON usage (day, user_id);`,
  // Answers are saved as they grow (checkpoints) and replayed from the journal: writes become upserts.
  `ALTER TABLE messages ADD COLUMN status TEXT;
   ALTER TABLE messages ADD COLUMN saved_at TIMESTAMPTZ;
   CREATE UNIQUE INDEX messages_by_id ON messages (user_id, id);
   ALTER TABLE usage ADD COLUMN message_id TEXT;
   CREATE UNIQUE INDEX usage_by_message ON usage (message_id);`,
  // Quotas reserved in one statement each, and bonus balances.
  `CREATE TABLE quota_counts (
     day TEXT NOT NULL,
     grp TEXT NOT NULL,
     user_id TEXT NOT NULL,
     count INTEGER NOT NULL,
     PRIMARY KEY (day, grp, user_id)
   );
   CREATE TABLE quota_bonus (
     user_id TEXT NOT NULL,
     model TEXT NOT NULL,
     balance INTEGER NOT NULL,
     PRIMARY KEY (user_id, model)
   );`,
  // v1.1: an answer's parts, and every choice of an answer asked with n > 1 (JSON text).
  `ALTER TABLE messages ADD COLUMN parts TEXT;
   ALTER TABLE messages ADD COLUMN choices TEXT;
   ALTER TABLE messages ADD COLUMN chosen INTEGER;`,
]

// Any number works, as long as it is the kit's alone: instances starting together migrate one at a time.
const MIGRATION_LOCK = 0x6b69_7400

/**
 * Creates `schema` when given and brings the one on `client`'s search path up to date; safe to run from
 * several instances at once. Answers how many migrations it applied.
 */
export async function migrate(client: PoolClient, schema?: string): Promise<number> {
  await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK])
  try {
    if (schema) await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`)
    await client.query(
      'CREATE TABLE IF NOT EXISTS kit_migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())',
    )
    const { rows } = await client.query<{ version: number | null }>(
      'SELECT max(version) AS version FROM kit_migrations',
    )
    const current = rows[0]?.version ?? 0
    for (const [index, sql] of MIGRATIONS.entries()) {
      if (index < current) continue
      await client.query('BEGIN')
      try {
        await client.query(sql)
        await client.query('INSERT INTO kit_migrations (version) VALUES ($1)', [index + 1])
        await client.query('COMMIT')
      } catch (err) {
        await client.query('ROLLBACK')
        throw err
      }
    }
    return Math.max(0, MIGRATIONS.length - current)
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK])
  }
}
