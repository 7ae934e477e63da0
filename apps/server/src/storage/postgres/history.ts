import type { Conversation, ConversationSummary } from '@kit/protocol'
import type pg from 'pg'
import type { HistoryStore } from '../types'
import {
  MAX_CONVERSATIONS_LISTED,
  partColumnsOf,
  storedMessageOf,
  type ConversationRow as StoredConversationRow,
  type MessageRow as StoredMessageRow,
} from '../history-rows'

type ConversationRow = StoredConversationRow<Date>
type MessageRow = StoredMessageRow<Date>

const summary = (row: ConversationRow): ConversationSummary => ({
  id: row.id,
  title: row.title,
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
})

/** Conversations and their messages in PostgreSQL; the same behaviour as the SQLite store. */
export function createPostgresHistory(pool: pg.Pool): HistoryStore {
  return {
    async append({ userId, conversationId, title, at, messages }) {
      const client = await pool.connect()
      // A connection that breaks while checked out emits 'error', which nobody else hears then: without a
      // listener it would end the process. The query in flight fails with it anyway.
      const ignore = (): void => undefined
      client.on('error', ignore)
      try {
        await client.query('BEGIN')
        await client.query(
          `INSERT INTO conversations (user_id, id, title, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)
           ON CONFLICT (user_id, id)
           DO UPDATE SET updated_at = greatest(conversations.updated_at, excluded.updated_at)`,
          [userId, conversationId, title, at],
        )
        // One statement for every message, in their order: arrays of columns, unnested row by row.
        const column = (field: 'id' | 'role' | 'content' | 'provider' | 'model' | 'status' | 'createdAt') =>
          messages.map((m) => m[field] ?? null)
        const json = messages.map(partColumnsOf)
        await client.query(
          `INSERT INTO messages (id, user_id, conversation_id, role, content, provider, model, status, parts,
             choices, chosen, created_at, saved_at)
           SELECT id, $1, $2, role, content, provider, model, status, parts, choices, chosen, created_at, $10
           FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::timestamptz[],
             $11::text[], $12::text[], $13::int[])
             WITH ORDINALITY AS m (id, role, content, provider, model, status, created_at, parts, choices, chosen, n)
           ORDER BY n
           ON CONFLICT (user_id, id) DO UPDATE SET content = excluded.content, status = excluded.status,
             parts = excluded.parts, choices = excluded.choices, chosen = excluded.chosen,
             saved_at = excluded.saved_at
           WHERE messages.saved_at IS NULL OR messages.saved_at <= excluded.saved_at`,
          [
            userId,
            conversationId,
            column('id'),
            column('role'),
            column('content'),
            column('provider'),
            column('model'),
            column('status'),
            column('createdAt'),
            at,
            json.map((m) => m.parts),
            json.map((m) => m.choices),
            json.map((m) => m.chosen),
          ],
        )
        await client.query('COMMIT')
        client.off('error', ignore)
        client.release()
      } catch (err) {
        // A connection that broke under the transaction is dropped, not handed to the next query.
        await client.query('ROLLBACK').catch(ignore)
        client.off('error', ignore)
        client.release(true)
        throw err
      }
    },

    async list(userId, options = {}) {
      const { rows } = await pool.query<ConversationRow>(
        `SELECT id, title, created_at, updated_at FROM conversations
         WHERE user_id = $1 AND ($2::timestamptz IS NULL OR updated_at < $2)
         ORDER BY updated_at DESC, id COLLATE "C" LIMIT $3`,
        [userId, options.before ?? null, Math.min(options.limit ?? 50, MAX_CONVERSATIONS_LISTED)],
      )
      return rows.map(summary)
    },

    async get(userId, conversationId, options = {}) {
      const { rows } = await pool.query<ConversationRow>(
        'SELECT id, title, created_at, updated_at FROM conversations WHERE user_id = $1 AND id = $2',
        [userId, conversationId],
      )
      const row = rows[0]
      if (!row) return undefined
      const messages = await pool.query<MessageRow>(
        `SELECT id, role, content, provider, model, parts, choices, chosen, created_at,
                CASE WHEN status = 'streaming' AND saved_at < $3 THEN 'interrupted' ELSE status END AS status
         FROM messages WHERE user_id = $1 AND conversation_id = $2 ORDER BY seq`,
        [userId, conversationId, options.interruptedBefore ?? null],
      )
      return {
        ...summary(row),
        messages: messages.rows.map((m) => storedMessageOf(m, (time) => time.toISOString())),
      } satisfies Conversation
    },

    async delete(userId, conversationId) {
      const { rowCount } = await pool.query('DELETE FROM conversations WHERE user_id = $1 AND id = $2', [
        userId,
        conversationId,
      ])
      return (rowCount ?? 0) > 0
    },
  }
}
