import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import Database from 'better-sqlite3'

/** Each entry moves the schema one version up; `PRAGMA user_version` records how far a file has come. */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE conversations (
     user_id TEXT NOT NULL,
     id TEXT NOT NULL,
     title TEXT NOT NULL,
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL,
     PRIMARY KEY (user_id, id)
   );
   CREATE INDEX conversations_recent ON conversations (user_id, updated_at DESC);
   CREATE TABLE messages (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     id TEXT NOT NULL,
     user_id TEXT NOT NULL,
     conversation_id TEXT NOT NULL,
     role TEXT NOT NULL,
     content TEXT NOT NULL,
     provider TEXT,
     model TEXT,
     created_at TEXT NOT NULL,
     FOREIGN KEY (user_id, conversation_id) REFERENCES conversations (user_id, id) ON DELETE CASCADE
   );
   CREATE INDEX messages_by_conversation ON messages (user_id, conversation_id, seq);
   CREATE TABLE usage (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     user_id TEXT NOT NULL,
     provider TEXT NOT NULL,
     model TEXT NOT NULL,
     day TEXT NOT NULL,
     prompt_tokens INTEGER NOT NULL,
     completion_tokens INTEGER NOT NULL,
     total_tokens INTEGER NOT NULL,
     at TEXT NOT NULL
   );
   CREATE INDEX usage_by_day ON usage (day, user_id);`,
  // Answers are saved as they grow (checkpoints) and replayed from the journal: writes become upserts.
  `ALTER TABLE messages ADD COLUMN status TEXT;
   ALTER TABLE messages ADD COLUMN saved_at TEXT;
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
   ) WITHOUT ROWID;
   CREATE TABLE quota_bonus (
     user_id TEXT NOT NULL,
     model TEXT NOT NULL,
     balance INTEGER NOT NULL,
     PRIMARY KEY (user_id, model)
   ) WITHOUT ROWID;`,
  // v1.1: an answer's parts, and every choice of an answer asked with n > 1 (JSON text).
  `ALTER TABLE messages ADD COLUMN parts TEXT;
   ALTER TABLE messages ADD COLUMN choices TEXT;
   ALTER TABLE messages ADD COLUMN chosen INTEGER;`,
]

/** Opens (creating its folder) and migrates the kit's SQLite file; `:memory:` for a throwaway one. */
export function openDatabase(path: string): Database.Database {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true })
  const db = new Database(path)
  db.pragma('journal_mode = WAL')
  db.pragma('foreign_keys = ON')
  // IMMEDIATE takes the write lock before reading the version, so two processes opening one new file
  // cannot both migrate it.
  db.transaction(() => {
    const version = db.pragma('user_version', { simple: true }) as number
    for (const [index, sql] of MIGRATIONS.entries()) {
      if (index < version) continue
      db.exec(sql)
    }
    db.pragma(`user_version = ${MIGRATIONS.length}`)
  }).immediate()
  return db
}
