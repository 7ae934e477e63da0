import type { Conversation, ConversationSummary } from '@kit/protocol'
import type Database from 'better-sqlite3'
import type { HistoryStore } from '../types'
import {
  MAX_CONVERSATIONS_LISTED,
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
     ON CONFLICT (user_id, id) DO UPDATE SET updated_at = excluded.updated_at`,
  )
  const insertMessage = db.prepare(
    `INSERT INTO messages (id, user_id, conversation_id, role, content, provider, model, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  )
  const list = db.prepare<[string, string, number], ConversationRow>(
    `SELECT id, title, created_at, updated_at FROM conversations
     WHERE user_id = ? AND updated_at < ? ORDER BY updated_at DESC, id LIMIT ?`,
  )
  const one = db.prepare<[string, string], ConversationRow>(
    'SELECT id, title, created_at, updated_at FROM conversations WHERE user_id = ? AND id = ?',
  )
  const messages = db.prepare<[string, string], MessageRow>(
    `SELECT id, role, content, provider, model, created_at FROM messages
     WHERE user_id = ? AND conversation_id = ? ORDER BY seq`,
  )
  const remove = db.prepare('DELETE FROM conversations WHERE user_id = ? AND id = ?')
  const append = db.transaction((exchange: Parameters<HistoryStore['append']>[0]) => {
    const { userId, conversationId, title, at } = exchange
    upsert.run(userId, conversationId, title, at, at)
    for (const m of exchange.messages) {
      insertMessage.run(
        m.id,
        userId,
        conversationId,
        m.role,
        m.content,
        m.provider ?? null,
        m.model ?? null,
        m.createdAt,
      )
    }
  })

  return {
    append: async (exchange) => append(exchange),
    list: async (userId, options = {}) =>
      list
        .all(userId, options.before ?? '\uffff', Math.min(options.limit ?? 50, MAX_CONVERSATIONS_LISTED))
        .map(summary),
    get: async (userId, conversationId) => {
      const row = one.get(userId, conversationId)
      if (!row) return undefined
      const rows = messages.all(userId, conversationId)
      return {
        ...summary(row),
        messages: rows.map((m) => ({
          id: m.id,
          role: m.role,
          content: m.content,
          createdAt: m.created_at,
          ...(m.provider ? { provider: m.provider } : {}),
          ...(m.model ? { model: m.model } : {}),
        })),
      } satisfies Conversation
    },
    delete: async (userId, conversationId) => remove.run(userId, conversationId).changes > 0,
  }
}
