import type { ChatRole, DoneReason, Usage } from '@kit/protocol'

/** `ready`: idle. `submitted`: asked, nothing received yet. `streaming`: the answer is arriving. `error`: it failed. */
export type ChatStatus = 'ready' | 'submitted' | 'streaming' | 'error'

/** `interrupted`: the connection was lost and the answer could not be resumed. */
export type MessageStatus = 'streaming' | 'done' | 'stopped' | 'error' | 'interrupted'

/**
 * A failure of a stream, whichever side it came from: `server` for the server's `error` event (`code` is
 * an `ErrorCode`), `transport` for network, HTTP and timeout failures (`code` is the `StreamErrorKind`).
 */
export interface StreamFailure {
  source: 'server' | 'transport'
  code: string
  message: string
  retriable: boolean
  /** HTTP status, for transport failures that got a response. */
  status?: number
  /** The server asked to drop the partial answer (e.g. it failed moderation). */
  discardPartial?: boolean
}

export interface ChatMessage {
  /** Local id, stable for the life of the message (a rendering key). */
  id: string
  role: ChatRole
  content: string
  createdAt: string
  /** Assistant messages only. */
  status?: MessageStatus
  /** The server's id for this message, from `start`. */
  serverId?: string
  /** The answer's stream and the last event applied: enough to resume it after a reload. */
  streamId?: string
  lastEventId?: string
  error?: StreamFailure
  finishReason?: DoneReason
  usage?: Usage
  provider?: string
  model?: string
}

export interface ChatConversation {
  /** Local id. */
  id: string
  /** The server's conversation id, once an answer started or history was synced. */
  remoteId?: string
  title: string
  createdAt: string
  updatedAt: string
  messages: ChatMessage[]
  /** Synced from the server but messages not fetched yet. */
  partial?: boolean
}
