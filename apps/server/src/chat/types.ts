import type { ChatEvents, ChatRequest, CompletionResponse, Usage } from '@kit/protocol'
import type { ChatConfig, ChatConfigInput } from '../config/chat'
import type { Logger } from '../logging/logger'
import type { Moderator } from '../moderation/types'
import type { ProviderCatalog } from '../providers/catalog'
import type { ChatMessage, ChatProvider, ProviderRequest } from '../providers/types'
import type { ChatStores, Clock } from '../storage/types'
import type { AnswerLimits } from '../limits/answer-limits'
import type { Admission, AdmitInput, QuotaStatus } from '../quotas/admission'
import type { Templates } from '../templates/templates'
import type { HistoryOutbox } from './outbox'

/** A chat request on behalf of one user. */
export interface AskInput extends ChatRequest {
  readonly userId: string
  /** Set for anonymous users: their quota and concurrent answers also hold for this client address. */
  readonly anonymousIp?: string | undefined
}

/** One event of an answer, as it goes on the wire: `start`, `message`…, then `done` or `error`. */
export type ChatStreamEvent = { [K in keyof ChatEvents]: { event: K; data: ChatEvents[K] } }[keyof ChatEvents]

/** An answer checked and ready to generate: ids chosen, context loaded, quota and moderation passed. */
export interface PreparedAnswer {
  readonly streamId: string
  readonly conversationId: string
  readonly messageId: string
  readonly userId: string
  readonly provider: ChatProvider
  readonly request: ProviderRequest
  /** The user's message as sent (template applied), saved with the answer. */
  readonly prompt: ChatMessage & { readonly role: 'user' }
  /** The conversation's context before this prompt. */
  readonly context: readonly ChatMessage[]
  /** Id of the user's message in history. */
  readonly promptId: string
  /** When the request was accepted (ms since the epoch). */
  readonly askedAt: number
  readonly title: string
  /** Its concurrent slot and quota reservation; `run` and `complete` settle it. */
  readonly admission: Admission
}

/** What an answer ended with, for history, usage, quotas and the session. */
export interface FinishedAnswer {
  readonly answer: PreparedAnswer
  /** Choice 0: the one kept in history and context. */
  readonly text: string
  readonly usage: Usage
}

export interface ChatServiceOptions {
  /** Validated here; the defaults answer offline with the demo provider. */
  readonly config?: ChatConfigInput
  /** Instances to use instead of `config.providers` (a provider of your own, for example). */
  readonly providers?: readonly ChatProvider[]
  /** Stores to use instead of SQLite and memory; the service then leaves closing them to you. */
  readonly stores?: ChatStores
  readonly clock?: Clock
  readonly logger?: Logger
  /** A moderator of your own (a remote moderation API), asked after the configured word list. */
  readonly moderator?: Moderator
}

export interface ChatService {
  readonly config: ChatConfig
  readonly clock: Clock
  readonly providers: ProviderCatalog
  readonly templates: Templates
  readonly stores: ChatStores
  /** History and usage writes on their way to `stores`: its `depth()` is what the store has not taken yet. */
  readonly outbox: HistoryOutbox
  /** The request rate limits of the answering routes (HTTP only: the service itself never counts requests). */
  readonly limits: AnswerLimits
  /** Holds a concurrent slot and reserves one answer of the quota, for work of your own (images use it). */
  admit(input: AdmitInput): Promise<Admission>
  /** What a user has left of a model's quota today. */
  quota(input: Omit<AdmitInput, 'slot'>): Promise<QuotaStatus>
  /** Adds `amount` bonus answers of `model` to a user's balance (negative takes away); answers the balance. */
  grantBonus(grant: { userId: string; model: string; amount: number }): Promise<number>
  /**
   * Checks a request, holds a concurrent slot, reserves its quota and loads its context; throws `ChatError`
   * before any provider is asked. A prepared answer must be `run`: that frees what it holds.
   */
  prepare(input: AskInput): Promise<PreparedAnswer>
  /** Generates a prepared answer. Never throws: failures end it with an `error` event, abort with `done` `aborted`. */
  run(answer: PreparedAnswer, signal?: AbortSignal): AsyncIterable<ChatStreamEvent>
  /** `prepare` then `run`; a refused request yields a single `error` event. */
  ask(input: AskInput, options?: { signal?: AbortSignal }): AsyncIterable<ChatStreamEvent>
  /** The same answer without streaming, with every choice; throws `KitError`s. */
  complete(input: AskInput, options?: { signal?: AbortSignal }): Promise<CompletionResponse>
  /** Reads the moderation words file again; answers under way keep the list they started with. */
  reloadModeration(): Promise<{ readonly words: number }>
  close(): Promise<void>
}
