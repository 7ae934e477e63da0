import type { Conversation, StoredMessage } from '@kit/protocol'
import type { ChatConversation, ChatMessage } from '../types'

/**
 * The persisted and exported form of the store. Bump `SCHEMA_VERSION` and add a migration whenever
 * its shape changes; data from an older version is migrated on load and on import.
 */
export const SCHEMA_VERSION = 2

export interface ChatSnapshot {
  version: typeof SCHEMA_VERSION
  activeId?: string
  conversations: ChatConversation[]
}

/**
 * Version 1 is the server's history format (`GET /api/conversations/:id`): its ids are the server's,
 * and it has none of the client's fields (message status, stream ids for resume, local ids).
 */
interface SnapshotV1 {
  version: 1
  activeId?: string
  conversations: Conversation[]
}

/**
 * A message of the server's history as the client keeps it: a stored answer is done unless the server
 * saved it unfinished; one still `streaming` there has no stream here to follow, so it shows as interrupted.
 */
export function fromServer(message: StoredMessage): ChatMessage {
  return message.role === 'assistant'
    ? { ...message, status: message.status ? 'interrupted' : 'done' }
    : { ...message }
}

const migrations: Record<number, (snapshot: never) => { version: number }> = {
  1: (snapshot: SnapshotV1): ChatSnapshot => ({
    version: 2,
    activeId: snapshot.activeId,
    conversations: snapshot.conversations.map((c) => ({
      id: c.id,
      remoteId: c.id,
      title: c.title,
      createdAt: c.createdAt,
      updatedAt: c.updatedAt,
      messages: c.messages.map(fromServer),
    })),
  }),
}

export type ReadResult =
  | { ok: true; snapshot: ChatSnapshot; migratedFrom?: number }
  | { ok: false; reason: 'invalid' | 'newer'; version?: number }

/** Parses, migrates and checks a snapshot; entries that are not conversations are dropped. */
export function readSnapshot(value: unknown): ReadResult {
  if (!isObject(value) || typeof value.version !== 'number' || !Array.isArray(value.conversations)) {
    return { ok: false, reason: 'invalid' }
  }
  if (value.version > SCHEMA_VERSION) return { ok: false, reason: 'newer', version: value.version }
  const from = value.version
  let current = value as { version: number }
  while (current.version < SCHEMA_VERSION) {
    const migrate = migrations[current.version]
    if (!migrate) return { ok: false, reason: 'invalid', version: current.version }
    current = migrate(current as never)
  }
  const snapshot = current as ChatSnapshot
  const conversations = snapshot.conversations.filter(isConversation)
  const activeId = conversations.some((c) => c.id === snapshot.activeId) ? snapshot.activeId : undefined
  return {
    ok: true,
    snapshot: { version: SCHEMA_VERSION, activeId, conversations },
    migratedFrom: from < SCHEMA_VERSION ? from : undefined,
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null
}

function isConversation(value: unknown): value is ChatConversation {
  return (
    isObject(value) &&
    typeof value.id === 'string' &&
    typeof value.title === 'string' &&
    Array.isArray(value.messages) &&
    value.messages.every(
      (m: unknown) => isObject(m) && typeof m.id === 'string' && typeof m.content === 'string' && !!m.role,
    )
  )
}
