import type { Logger } from '../logging/logger'
import type { Moderator } from '../moderation/types'
import type { ProviderCatalog } from '../providers/catalog'
import type { QuotaGate } from '../quotas/admission'
import type { ChatStores, Clock } from '../storage/types'
import type { Templates } from '../templates/templates'
import type { HistoryOutbox } from './outbox'

/** What preparing, running and recording an answer need; built once by `createChatService`. */
export interface ChatDeps {
  readonly providers: ProviderCatalog
  readonly templates: Templates
  readonly moderator: Moderator
  readonly quotas: QuotaGate
  readonly stores: ChatStores
  /** History and usage go through it: journaled, then stored in order. */
  readonly outbox: HistoryOutbox
  /** How often a growing answer is saved: every `ms` or `chars`, and every `heartbeatMs` at least. */
  readonly checkpoints: { readonly ms: number; readonly chars: number; readonly heartbeatMs: number }
  readonly clock: Clock
  /** Budget of the context sent with a prompt, in estimated tokens. */
  readonly contextTokens: number
  /** A request without a conversation id continues the user's latest conversation. */
  readonly continueLatest: boolean
  readonly logger: Logger
}
