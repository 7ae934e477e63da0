import type { ChatRole, SavedStatus, StoredMessage, StoredPart } from '@kit/protocol'
import type { NewMessage } from './types'

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
  /** JSON text of `parts` and `choices`. */
  parts: string | null
  choices: string | null
  chosen: number | null
  created_at: Time
}

/** The columns of a message that hold JSON, as the SQL stores write them. */
export const partColumnsOf = (m: NewMessage) => ({
  parts: m.parts ? JSON.stringify(m.parts) : null,
  choices: m.choices ? JSON.stringify(m.choices) : null,
  chosen: m.chosen ?? null,
})

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
  ...(m.parts ? { parts: JSON.parse(m.parts) as StoredPart[] } : {}),
  ...(m.choices ? { choices: JSON.parse(m.choices) as StoredMessage['choices'] } : {}),
  ...(m.chosen === null ? {} : { chosen: m.chosen }),
})

/** Most conversations one list request returns, whatever limit it asks for. */
export const MAX_CONVERSATIONS_LISTED = 200
