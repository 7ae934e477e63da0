import type { ChatRole } from '@kit/protocol'

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
  created_at: Time
}

/** Most conversations one list request returns, whatever limit it asks for. */
export const MAX_CONVERSATIONS_LISTED = 200
