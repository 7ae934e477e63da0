import { randomUUID } from 'node:crypto'
import type { AuthorizeUser } from '../auth/authorize'
import { createUserResolver } from '../auth/users'
import type { ChatConfigInput } from '../config/chat'
import { conversationRoutes } from '../conversations/routes'
import type { KitRoutes } from '../http/types'
import { imageRoutes } from '../images/routes'
import { createImageService } from '../images/service'
import { moderationRoutes } from '../moderation/routes'
import { providerKeyRoutes } from '../providers/keys/routes'
import { providerRoutes } from '../providers/routes'
import { quotaRoutes } from '../quotas/routes'
import { usageRoutes } from '../usage/routes'
import type { ChatStores } from '../storage/types'
import { createGenerations } from './generations'
import { chatRoutes } from './routes'
import { createChatService } from './service'
import type { ChatService } from './types'

export interface ChatRoutesOptions {
  /** Configuration of a service the routes create and close; ignored when `service` is given. */
  readonly chat?: ChatConfigInput
  /** A service of your own (it stays yours to close). */
  readonly service?: ChatService
  /** The backend's bearer: requests that carry it act as an administrator. */
  readonly publishSecret?: string
  /** Recorded as the generator of each answer (scale-out); random by default. */
  readonly instanceId?: string
  /** Stores for a service the routes create (Redis, PostgreSQL); the embedded defaults otherwise. */
  readonly stores?: ChatStores
  /** The login check of token users, instead of `chat.auth.authorizeUrl`. */
  readonly authorizeUser?: AuthorizeUser | undefined
}

/** How long a finished answer's owner is remembered for a late resume; the replay buffer decides the rest. */
const STREAM_RETAIN_MS = 10 * 60_000

/** Chat, conversations, providers, images, usage and moderation, as one module of the kit router. */
export function kitChatRoutes(options: ChatRoutesOptions = {}): KitRoutes {
  return (router, context) => {
    const service =
      options.service ??
      createChatService({ config: options.chat, stores: options.stores, logger: context.logger })
    const users = createUserResolver(service.config.auth, options.publishSecret, options.authorizeUser)
    const generations = createGenerations({
      registry: context.registry,
      service,
      logger: context.logger,
      graceMs: service.config.streams.graceMs,
      retainMs: STREAM_RETAIN_MS,
      instanceId: options.instanceId ?? randomUUID(),
    })
    context.onClose(async () => {
      await generations.close()
      if (!options.service) await service.close()
    })
    providerRoutes(router, service)
    providerKeyRoutes(router, context, service.providers)
    chatRoutes(router, context, { service, generations, users })
    conversationRoutes(router, service, users)
    const images = createImageService(service.providers, service.config.images.models)
    imageRoutes(router, context, images, { service, users })
    usageRoutes(router, service, users)
    moderationRoutes(router, context, service)
    quotaRoutes(router, context, service, users)
  }
}
