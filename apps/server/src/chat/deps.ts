import type { Logger } from '../logging/logger'
import type { Moderator } from '../moderation/moderator'
import type { ProviderCatalog } from '../providers/catalog'
import type { QuotaGate } from '../quotas/admission'
import type { ChatStores, Clock } from '../storage/types'
import type { Templates } from '../templates/templates'

/** What preparing, running and recording an answer need; built once by `createChatService`. */
export interface ChatDeps {
  readonly providers: ProviderCatalog
  readonly templates: Templates
  readonly moderator: Moderator
  readonly quotas: QuotaGate
  readonly stores: ChatStores
  readonly clock: Clock
  /** Budget of the context sent with a prompt, in estimated tokens. */
  readonly contextTokens: number
  /** A request without a conversation id continues the user's latest conversation. */
  readonly continueLatest: boolean
  readonly logger: Logger
}
