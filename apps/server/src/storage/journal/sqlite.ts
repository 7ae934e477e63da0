import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import Database from 'better-sqlite3'
import type { Journal, JournalEntry } from './types'

/**
 * A journal in a SQLite file of its own, synced to disk on every write: what it took survives a crash of
 * the process (`kill -9`) and is stored when the server starts again with the same file.
 */
export function openSqliteJournal(path: string): Journal {
  mkdirSync(dirname(path), { recursive: true })
  const db = new Database(path)
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = FULL')
  db.exec(
    `CREATE TABLE IF NOT EXISTS journal (
       seq INTEGER PRIMARY KEY AUTOINCREMENT,
       key TEXT NOT NULL,
       body TEXT NOT NULL
     );
     CREATE INDEX IF NOT EXISTS journal_by_key ON journal (key);`,
  )
  const rewrite = db.prepare<[string, string, number], { seq: number }>(
    'UPDATE journal SET body = ? WHERE key = ? AND seq <> ? RETURNING seq',
  )
  const append = db.prepare<[string, string], { seq: number }>(
    'INSERT INTO journal (key, body) VALUES (?, ?) RETURNING seq',
  )
  const first = db.prepare<[], JournalEntry>('SELECT seq, key, body FROM journal ORDER BY seq LIMIT 1')
  const remove = db.prepare('DELETE FROM journal WHERE seq = ?')
  const size = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM journal')
  const put = db.transaction((key: string, body: string, busy: number): number => {
    const rewritten = rewrite.get(body, key, busy)
    return (rewritten ?? append.get(key, body))?.seq ?? 0
  })
  return {
    put: (key, body, busy) => put.immediate(key, body, busy),
    first: () => first.get(),
    remove: (seq) => void remove.run(seq),
    size: () => size.get()?.n ?? 0,
    close: () => db.close(),
  }
}
