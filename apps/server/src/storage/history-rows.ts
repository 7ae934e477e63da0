import type { ChatRole, SavedStatus, StoredMessage } from '@kit/protocol'

// The SQL stores read the same columns; only the type a timestamp comes back as differs
// (PostgreSQL's driver gives a Date, SQLite keeps the ISO text the store wrote).

export interface ConversationRow<Time> {
  id: string
  title: string
  created_at: Time
  updated_at: Time
}

export interface MessageRow<Time> {
  id: string
  role: ChatRole
  content: string
  provider: string | null
  model: string | null
  status: SavedStatus | null
  created_at: Time
}

/** A message row as the API answers it: optional fields left out rather than null. */
export const storedMessageOf = <Time>(
  m: MessageRow<Time>,
  createdAt: (time: Time) => string,
): StoredMessage => ({
  id: m.id,
  role: m.role,
  content: m.content,
  createdAt: createdAt(m.created_at),
  ...(m.provider ? { provider: m.provider } : {}),
  ...(m.model ? { model: m.model } : {}),
  ...(m.status ? { status: m.status } : {}),
})

/** Most conversations one list request returns, whatever limit it asks for. */
export const MAX_CONVERSATIONS_LISTED = 200
