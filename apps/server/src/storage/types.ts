import type {
  ChatRole,
  Conversation,
  ConversationSummary,
  SavedStatus,
  StoredMessage,
  StoredPart,
} from '@kit/protocol'
import type { ChatMessage } from '../providers/types'

/**
 * The stores behind chat, as async interfaces so that Redis and PostgreSQL implementations drop in without
 * touching their callers. The embedded default keeps history and usage in SQLite and the rest in memory.
 */

export interface Clock {
  now(): number
}
export const systemClock: Clock = { now: () => Date.now() }

export interface NewMessage {
  readonly id: string
  readonly role: ChatRole
  readonly content: string
  /** ISO 8601. */
  readonly createdAt: string
  readonly provider?: string
  readonly model?: string
  /** Unset: complete. `streaming`: a checkpoint of an answer under way. `interrupted`: it ended unfinished. */
  readonly status?: SavedStatus
  /** v1.1: the answer's parts in order (absent: text only). */
  readonly parts?: readonly StoredPart[]
  /** Every choice of an answer asked with n > 1; `content` and `parts` are those of `chosen`. */
  readonly choices?: StoredMessage['choices']
  readonly chosen?: number
}

export interface SavedExchange {
  readonly userId: string
  readonly conversationId: string
  /** Used only when this exchange creates the conversation. */
  readonly title: string
  readonly messages: readonly NewMessage[]
  /** ISO 8601: the conversation's new `updatedAt`, and when its messages were saved. */
  readonly at: string
}

export interface HistoryReadOptions {
  /** ISO 8601: a message still `streaming` that was last saved before then is read as `interrupted`. */
  readonly interruptedBefore?: string
}

/** Saved conversations, always scoped to one user. */
export interface HistoryStore {
  /**
   * Appends the messages, creating the conversation when it does not exist yet. A message whose id is
   * already saved keeps its place and takes the new content and status, unless what is saved is newer
   * (`at`): checkpoints of an answer and replays of the journal may write one message many times.
   */
  append(exchange: SavedExchange): Promise<void>
  /** Most recently updated first; `before` pages on `updatedAt`. */
  list(userId: string, options?: { limit?: number; before?: string }): Promise<ConversationSummary[]>
  get(userId: string, conversationId: string, options?: HistoryReadOptions): Promise<Conversation | undefined>
  /** False when there was nothing to delete. */
  delete(userId: string, conversationId: string): Promise<boolean>
}

export interface UsageRecord {
  /** The answer counted: a record whose answer is already counted is not counted again. */
  readonly messageId?: string
  readonly userId: string
  readonly provider: string
  readonly model: string
  /** UTC day, `YYYY-MM-DD`. */
  readonly day: string
  readonly promptTokens: number
  readonly completionTokens: number
  readonly totalTokens: number
  /** ISO 8601. */
  readonly at: string
}

export interface UsageQuery {
  /** Inclusive UTC days; unset = unbounded. */
  readonly from?: string
  readonly to?: string
  /** Unset = every user. */
  readonly userId?: string
}

export interface UsageAggregate {
  readonly day: string
  readonly provider: string
  readonly model: string
  readonly promptTokens: number
  readonly completionTokens: number
  readonly totalTokens: number
  readonly requests: number
}

export interface UsageStore {
  record(record: UsageRecord): Promise<void>
  /** One row per day, provider and model, ordered by day then provider then model. */
  aggregate(query: UsageQuery): Promise<UsageAggregate[]>
}

/** The context of each conversation; one left idle past the store's idle time is forgotten. */
export interface SessionStore {
  get(userId: string, conversationId: string): Promise<ChatMessage[] | undefined>
  /** Replaces the context and restarts the idle time. */
  set(userId: string, conversationId: string, messages: readonly ChatMessage[]): Promise<void>
  delete(userId: string, conversationId: string): Promise<void>
  /** The user's most recently set conversation while its context is still held (not idle, not deleted). */
  latest(userId: string): Promise<string | undefined>
}

export interface QuotaKey {
  readonly userId: string
  /** Quota day, `YYYY-MM-DD`, in the configured time zone. */
  readonly day: string
  readonly group: string
}

/** A user's bonus ("invite") balance of one model: answers granted on top of the daily quota. */
export interface BonusKey {
  readonly userId: string
  readonly model: string
}

/** One answer to take from a user's quota. */
export interface QuotaAsk {
  readonly key: QuotaKey
  /** Answers a day; undefined = unlimited (the answer is still counted). */
  readonly limit: number | undefined
  /** A second counter the day's answer must also fit in: an anonymous user's client address. */
  readonly shared?: { readonly key: QuotaKey; readonly limit: number }
  /** Spent, one answer at a time, only once the day's quota is used up. */
  readonly bonus: BonusKey
}

/** Where a reserved answer was taken from. */
export type QuotaSource = 'daily' | 'bonus'

/**
 * Answers counted per user, day and model group, and bonus balances per user and model. A reservation
 * checks and takes in one atomic step, so concurrent requests cannot all pass the check.
 */
export interface QuotaCounter {
  get(key: QuotaKey): Promise<number>
  /** Takes one answer of the day's quota (and of `shared`), else one of the bonus; undefined when neither has one. */
  reserve(ask: QuotaAsk): Promise<QuotaSource | undefined>
  /** Gives back an answer `reserve` took from `source`. */
  refund(ask: QuotaAsk, source: QuotaSource): Promise<void>
  bonus(key: BonusKey): Promise<number>
  /** Adds `amount` (negative takes away, never below 0) and answers the new balance. */
  grantBonus(key: BonusKey, amount: number): Promise<number>
}

/** Counters of the abuse limits, shared by every instance when kept in Redis. */
export interface LimitStore {
  /** Counts a request in `key`'s current window; over `limit`, answers the ms until the window ends. */
  hit(key: string, limit: number, windowMs: number): Promise<number | undefined>
  /**
   * Takes one of `limit` slots of `key` for `slot`, held until released or for `leaseMs` (an instance that
   * died cannot hold it for ever); false when all are taken.
   */
  acquire(key: string, slot: string, limit: number, leaseMs: number): Promise<boolean>
  release(key: string, slot: string): Promise<void>
}

/** Who asked for an answer and which server instance generates it. */
export interface StreamOwner {
  readonly userId: string
  readonly instanceId: string
  readonly conversationId: string
  readonly messageId: string
}

export interface StreamRecord extends StreamOwner {
  /** The generation has finished; the record stays a while so a late resume can still be authorised. */
  readonly ended: boolean
}

/** Control messages to the instance generating an answer. */
export type StreamControl =
  /** A client asked to stop generating. */
  | 'stop'
  /** A client is connected again: cancel the grace period. */
  | 'watched'
  /** The last client left: generation goes on for the grace period only. */
  | 'unwatched'

export interface ChatStreamState {
  begin(streamId: string, owner: StreamOwner): Promise<void>
  get(streamId: string): Promise<StreamRecord | undefined>
  /** A client connected to the stream (on any instance). */
  watch(streamId: string): Promise<void>
  /** A client left; the last one to leave sends `unwatched`. */
  unwatch(streamId: string): Promise<void>
  requestStop(streamId: string): Promise<void>
  /** Receives the stream's controls until the returned function is called. */
  listen(streamId: string, listener: (control: StreamControl) => void): Promise<() => Promise<void>>
  /** Marks the generation finished; the record is forgotten after `retainMs`. */
  end(streamId: string, retainMs: number): Promise<void>
}

export interface ChatStores {
  readonly history: HistoryStore
  readonly usage: UsageStore
  readonly sessions: SessionStore
  readonly quotas: QuotaCounter
  readonly streams: ChatStreamState
  /** Rate and concurrency limits; this process's memory when absent (one instance). */
  readonly limits?: LimitStore
  close(): Promise<void>
}
