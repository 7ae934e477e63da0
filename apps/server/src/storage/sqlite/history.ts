import type { Conversation, ConversationSummary } from '@kit/protocol'
import type Database from 'better-sqlite3'
import type { HistoryStore } from '../types'
import {
  MAX_CONVERSATIONS_LISTED,
  partColumnsOf,
  storedMessageOf,
  type ConversationRow as StoredConversationRow,
  type MessageRow as StoredMessageRow,
} from '../history-rows'

type ConversationRow = StoredConversationRow<string>
type MessageRow = StoredMessageRow<string>

const summary = (row: ConversationRow): ConversationSummary => ({
  id: row.id,
  title: row.title,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
})

export function createSqliteHistory(db: Database.Database): HistoryStore {
  const upsert = db.prepare(
    `INSERT INTO conversations (user_id, id, title, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (user_id, id) DO UPDATE SET updated_at = max(updated_at, excluded.updated_at)`,
  )
  const upsertMessage = db.prepare(
    `INSERT INTO messages (id, user_id, conversation_id, role, content, provider, model, status, parts, choices,
       chosen, created_at, saved_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (user_id, id) DO UPDATE SET content = excluded.content, status = excluded.status,
       parts = excluded.parts, choices = excluded.choices, chosen = excluded.chosen, saved_at = excluded.saved_at
     WHERE saved_at IS NULL OR saved_at <= excluded.saved_at`,
  )
  const list = db.prepare<[string, string, number], ConversationRow>(
    `SELECT id, title, created_at, updated_at FROM conversations
     WHERE user_id = ? AND updated_at < ? ORDER BY updated_at DESC, id LIMIT ?`,
  )
  const one = db.prepare<[string, string], ConversationRow>(
    'SELECT id, title, created_at, updated_at FROM conversations WHERE user_id = ? AND id = ?',
  )
  const messages = db.prepare<[string, string, string], MessageRow>(
    `SELECT id, role, content, provider, model, parts, choices, chosen, created_at,
            CASE WHEN status = 'streaming' AND saved_at < ? THEN 'interrupted' ELSE status END AS status
     FROM messages WHERE user_id = ? AND conversation_id = ? ORDER BY seq`,
  )
  const remove = db.prepare('DELETE FROM conversations WHERE user_id = ? AND id = ?')
  const append = db.transaction((exchange: Parameters<HistoryStore['append']>[0]) => {
    const { userId, conversationId, title, at } = exchange
    upsert.run(userId, conversationId, title, at, at)
    for (const m of exchange.messages) {
      const { parts, choices, chosen } = partColumnsOf(m)
      upsertMessage.run(
        m.id,
        userId,
        conversationId,
        m.role,
        m.content,
        m.provider ?? null,
        m.model ?? null,
        m.status ?? null,
        parts,
        choices,
        chosen,
        m.createdAt,
        at,
      )
    }
  })

  return {
    append: async (exchange) => append(exchange),
    list: async (userId, options = {}) =>
      list
        .all(userId, options.before ?? '\uffff', Math.min(options.limit ?? 50, MAX_CONVERSATIONS_LISTED))
        .map(summary),
    get: async (userId, conversationId, options = {}) => {
      const row = one.get(userId, conversationId)
      if (!row) return undefined
      // '' sorts before every time: nothing is read as interrupted unless asked.
      const rows = messages.all(options.interruptedBefore ?? '', userId, conversationId)
      return {
        ...summary(row),
        messages: rows.map((m) => storedMessageOf(m, (time) => time)),
      } satisfies Conversation
    },
    delete: async (userId, conversationId) => remove.run(userId, conversationId).changes > 0,
  }
}
